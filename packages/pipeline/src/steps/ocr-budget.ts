import { createHash } from "node:crypto";
import { canonicalAddress } from "@intake/schema";
import type { Archive } from "../archive/archive.js";
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
  /** OCR megapixels all the emails of one sender may use together over the call. Default 6000. */
  perSender: number;
}

export const DEFAULT_OCR_BUDGETS: OcrBudgets = { perMessage: 1200, perSender: 6000 };
/** The least OCR share worth giving a copy (a cover, a sign-off page and a retry or two). */
const MIN_SHARE = 100;

/** One email's entry in its sender's ledger: what it was given, and what it used once read. */
interface LedgerEntry {
  messageKey: string;
  receivedAt: string | null;
  allocated: number;
  used?: number;
}

const ledgerDir = (sender: string | null): string =>
  `index/ocr-work/${createHash("sha256").update(sender ? canonicalAddress(sender) : "(no sender)").digest("hex").slice(0, 32)}`;

function earlier(a: LedgerEntry, b: { messageKey: string; receivedAt: string | null }): boolean {
  const ta = a.receivedAt ? Date.parse(a.receivedAt) : Infinity;
  const tb = b.receivedAt ? Date.parse(b.receivedAt) : Infinity;
  return ta !== tb ? ta < tb : a.messageKey < b.messageKey;
}

/**
 * Shares out an email's OCR budget among its copies, evenly (see MIN_SHARE): what is left of
 * the sender's budget after the emails that arrived before this one (their
 * use once read, else what they were given), capped per email. Records the
 * email's allocation in the sender's ledger (one file per email: no two
 * writers share a file).
 */
export async function allocateOcr(
  msg: { messageKey: string; from: string | null; receivedAt: string | null },
  groups: readonly ScanGroup[],
  archive: Archive,
  budgets: OcrBudgets = DEFAULT_OCR_BUDGETS,
): Promise<ScanGroup[]> {
  if (groups.length === 0) return [];
  const dir = ledgerDir(msg.from);
  const entries = await ledger(archive, dir);
  const spent = entries.filter((e) => e.messageKey !== msg.messageKey && earlier(e, msg)).reduce((n, e) => n + (e.used ?? e.allocated), 0);
  const allocated = Math.max(0, Math.min(budgets.perMessage, budgets.perSender - spent));
  const prior = entries.find((e) => e.messageKey === msg.messageKey);
  await archive.putJson(`${dir}/${msg.messageKey}.json`, { ...prior, messageKey: msg.messageKey, receivedAt: msg.receivedAt, allocated } satisfies LedgerEntry);
  // Shares below MIN_SHARE read too little to decide anything: then the first copies get a useful
  // share each and the rest none (they are not even opened), so an email of 50 copies costs no more than 12.
  const useful = Math.min(groups.length, Math.floor(allocated / MIN_SHARE));
  const share = useful > 0 ? Math.floor((allocated / useful) * 10) / 10 : 0;
  return groups.map((g, i) => ({ ...g, ocrMegapixels: i < useful ? share : 0 }));
}

/** Notes what an email's copies used, once they are read, so later emails of its sender see the true cost. */
export async function recordOcrUse(msg: { messageKey: string; from: string | null }, used: number, archive: Archive): Promise<void> {
  const path = `${ledgerDir(msg.from)}/${msg.messageKey}.json`;
  const entry = await archive.readJson<LedgerEntry>(path);
  if (entry && entry.used !== used) await archive.putJson(path, { ...entry, used });
}

async function ledger(archive: Archive, dir: string): Promise<LedgerEntry[]> {
  const names = await archive.listJson(dir);
  const out: LedgerEntry[] = [];
  for (const n of names) {
    const e = await archive.readJson<LedgerEntry>(`${dir}/${n}`);
    if (e) out.push(e);
  }
  return out;
}
