import type { ArchiveReader } from "./archive-reader.js";
import { isSafeRelPath } from "./safe-path.js";

/** The receipt the pipeline recorded for a message: its JSON as written, plus whether the sent email is kept. */
export interface Receipt {
  info: Record<string, unknown>;
  emlPath?: string;
}

const MAX_RECEIPT_BYTES = 256 * 1024;

/** Reads `acks/<key>.json` (and notes `outbox/<key>.eml`); undefined when no receipt was sent. */
export async function readReceipt(archive: ArchiveReader, messageKey: string): Promise<Receipt | undefined> {
  const jsonPath = `acks/${messageKey}.json`;
  const emlPath = `outbox/${messageKey}.eml`;
  if (!isSafeRelPath(jsonPath)) return undefined;
  let info: Record<string, unknown>;
  try {
    const buf = await archive.readFile(jsonPath);
    if (buf.length > MAX_RECEIPT_BYTES) return { info: { note: "回执记录过大，未显示" } };
    const parsed: unknown = JSON.parse(buf.toString("utf8"));
    info = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return undefined;
  }
  let hasEml = false;
  try {
    hasEml = isSafeRelPath(emlPath) && (await archive.readFile(emlPath)).length > 0;
  } catch {
    hasEml = false;
  }
  return { info, emlPath: hasEml ? emlPath : undefined };
}
