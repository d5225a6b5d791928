import { createHash } from "node:crypto";

/** Longest key kept as is; longer Message-IDs are cut and suffixed with a hash of the whole. */
const MAX_KEY = 150;
/** Only the header is read, and no more of it than this. */
const MAX_HEADER_BYTES = 256 * 1024;

function headerOf(raw: Buffer): string {
  const head = raw.subarray(0, MAX_HEADER_BYTES).toString("latin1");
  const m = /\r?\n\r?\n/.exec(head);
  return m ? head.slice(0, m.index) : head;
}

/** The Message-ID header's value without the angle brackets, or null when there is none. */
export function rawMessageId(raw: Buffer): string | null {
  const unfolded = headerOf(raw).replace(/\r?\n[ \t]+/g, " ");
  const line = unfolded.split(/\r?\n/).find((l) => /^message-id[ \t]*:/i.test(l));
  if (!line) return null;
  const value = line.slice(line.indexOf(":") + 1).trim();
  const bracketed = /<([^<>]*)>/.exec(value);
  const id = (bracketed ? bracketed[1]! : value).trim();
  return id || null;
}

/**
 * The deterministic key of a message: its Message-ID made safe for a folder
 * name and a job id, else `sha256-<hex>` of the raw bytes. The same email
 * fetched from two mailboxes gets the same key.
 */
export function messageKeyOf(raw: Buffer): string {
  const id = rawMessageId(raw);
  if (id) {
    // A leading dot would make a hidden or relative folder name.
    let key = id.replace(/[^A-Za-z0-9._@+=-]/g, "_").replace(/^\.+/, (d) => "_".repeat(d.length));
    if (key.length > MAX_KEY) {
      key = `${key.slice(0, MAX_KEY - 17)}-${createHash("sha256").update(id).digest("hex").slice(0, 16)}`;
    }
    if (/[A-Za-z0-9]/.test(key)) return key;
  }
  return `sha256-${createHash("sha256").update(raw).digest("hex")}`;
}
