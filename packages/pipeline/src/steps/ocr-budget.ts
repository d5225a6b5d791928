import { createHash } from "node:crypto";
import { canonicalAddress } from "@intake/schema";
import type { Archive } from "@intake/archive";
import type { ScanGroup } from "../stage.js";

/**
 * OCR work is bounded per copy (the scan's limits.ocrMegapixels), and here
 * per email and per sender too: one email of many scans, or one sender of
 * many emails, gets a bounded share, so nobody can buy hours of OCR with a
 * few hundred kilobytes. Work is counted in megapixels of OCR input, never
 * in time; a copy whose share is spent is read as far as it goes and the
 * rest is undecided (budget-spent), never "missing".
 */
export interface OcrBudgets {
  /** OCR megapixels all the copies of one email may use together. Default 1200 (three copies in full). */
  perMessage: number;
  /** OCR megapixels all the copies one sender sends may use together over the call. Default 6000. */
  perSender: number;
}

export const DEFAULT_OCR_BUDGETS: OcrBudgets = { perMessage: 1200, perSender: 6000 };
/** The least OCR share worth giving a copy (a cover, a sign-off page and a retry or two). */
const MIN_SHARE = 100;

const ledgerDir = (sender: string | null): string =>
  `index/ocr-work/${createHash("sha256").update(sender ? canonicalAddress(sender) : "(no sender)").digest("hex").slice(0, 32)}`;
const entryName = (messageKey: string, group: string): string => `${messageKey}--${group}.json`;

/**
 * Shares out an email's OCR budget among its copies, evenly; below MIN_SHARE
 * a copy the first copies get a useful share each and the rest none (they
 * are not even opened), so an email of 50 copies costs what 12 do.
 */
export function shareOcr(groups: readonly ScanGroup[], budgets: OcrBudgets = DEFAULT_OCR_BUDGETS): ScanGroup[] {
  const useful = Math.min(groups.length, Math.floor(budgets.perMessage / MIN_SHARE));
  const share = useful > 0 ? Math.floor((budgets.perMessage / useful) * 10) / 10 : 0;
  return groups.map((g, i) => ({ ...g, ocrMegapixels: i < useful ? share : 0 }));
}

/**
 * What is left of a sender's OCR budget for one more copy: the budget less
 * what the sender's other copies used (each noted when read). Copies read at
 * the same moment may overrun it by their own shares, no more.
 */
export async function senderOcrLeft(from: string | null, messageKey: string, group: string, archive: Archive, budgets: OcrBudgets = DEFAULT_OCR_BUDGETS): Promise<number> {
  const dir = ledgerDir(from);
  let used = 0;
  for (const name of await archive.listJson(dir)) {
    const e = await archive.readJson<{ messageKey: string; group: string; used: number }>(`${dir}/${name}`);
    if (e && !(e.messageKey === messageKey && e.group === group)) used += e.used;
  }
  return Math.max(0, budgets.perSender - used);
}

/** Notes what one copy used, once read (one file per copy: no two writers share one). */
export async function recordOcrUse(from: string | null, messageKey: string, group: string, used: number, archive: Archive): Promise<void> {
  await archive.putJson(`${ledgerDir(from)}/${entryName(messageKey, group)}`, { messageKey, group, used });
}
