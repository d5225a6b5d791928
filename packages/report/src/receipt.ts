import { ackLogPath } from "@intake/ack";
import type { ArchiveReader } from "./archive-reader.js";
import { isSafeRelPath } from "./safe-path.js";

/** One receipt the pipeline recorded for a message: its log entry as written, and the sent email when kept. */
export interface Receipt {
  info: Record<string, unknown>;
  /** Archive path of the receipt's .eml (outbox mode); undefined when not kept. */
  emlPath?: string;
}

/** Where a message's receipts are: the first one, an updated one and corrected ones, as the receipt log names them. */
export type ReceiptLocator = (messageKey: string, extraAckKeys?: readonly string[]) => { json: string; eml: string }[];

export const defaultReceiptLocator: ReceiptLocator = (key, extra = []) =>
  [key, `${key}.update`, ...extra].map((ackKey) => {
    const json = ackLogPath(ackKey);
    return { json, eml: json.replace(/^acks\//, "outbox/").replace(/\.json$/, ".eml") };
  });

const MAX_RECEIPT_BYTES = 256 * 1024;

async function exists(archive: ArchiveReader, p: string): Promise<boolean> {
  try {
    return isSafeRelPath(p) && (await archive.readFile(p)).length > 0;
  } catch {
    return false;
  }
}

/** Reads a message's receipts; [] when none was sent. A missing or unreadable log is no receipt, never an error. */
export async function readReceipts(archive: ArchiveReader, messageKey: string, locate: ReceiptLocator = defaultReceiptLocator, extraAckKeys: readonly string[] = []): Promise<Receipt[]> {
  const out: Receipt[] = [];
  for (const { json, eml } of locate(messageKey, extraAckKeys)) {
    if (!isSafeRelPath(json)) continue;
    let buf: Buffer;
    try {
      buf = await archive.readFile(json);
    } catch {
      continue;
    }
    let info: Record<string, unknown>;
    try {
      const parsed: unknown = buf.length > MAX_RECEIPT_BYTES ? { status: "unknown" } : JSON.parse(buf.toString("utf8"));
      info = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      info = { status: "unknown" };
    }
    out.push({ info, emlPath: (await exists(archive, eml)) ? eml : undefined });
  }
  return out;
}
