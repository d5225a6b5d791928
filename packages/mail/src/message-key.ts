import { createHash } from "node:crypto";

/** Longest key kept as is; longer Message-IDs are cut and suffixed with a hash of the whole. */
const MAX_KEY = 150;
/** A header block is read this far at most when looking for fields (90,000 short fields fit). */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
/**
 * The fields the sender wrote that say what the email is. Everything else in
 * the header may differ between the copies the two mailboxes receive
 * (Received, Delivered-To, Authentication-Results, a server's X- fields).
 */
const ORIGIN_FIELDS = new Set([
  "from", "sender", "reply-to", "to", "cc", "subject", "date", "message-id", "in-reply-to", "references",
  "mime-version", "content-type", "content-transfer-encoding",
]);

const sha256 = (data: Buffer | string): string => createHash("sha256").update(data).digest("hex");

/** Where the header block ends (the blank line) and the body starts, within the bound. */
function splitHeader(raw: Buffer): { header: string; bodyStart: number } {
  const head = raw.subarray(0, MAX_HEADER_BYTES).toString("latin1");
  const m = /\r?\n\r?\n/.exec(head);
  if (!m) return { header: head, bodyStart: raw.length };
  return { header: head.slice(0, m.index), bodyStart: m.index + m[0].length };
}

/** Header fields, unfolded, as [lower-cased name, value]; latin1 so any bytes survive. */
function fields(header: string): [string, string][] {
  const out: [string, string][] = [];
  for (const line of header.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    out.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return out;
}

/** The Message-ID header's value without the angle brackets, or null when there is none. */
export function rawMessageId(raw: Buffer): string | null {
  const field = fields(splitHeader(raw).header).find(([name]) => name === "message-id");
  if (!field) return null;
  const bracketed = /<([^<>]*)>/.exec(field[1]);
  const id = (bracketed ? bracketed[1]! : field[1]).trim();
  return id || null;
}

/**
 * A hash of what the sender wrote: the originator fields and the body, with
 * line ends and folding evened out. The copies the two mailboxes receive hash
 * alike; two different emails that share a Message-ID do not.
 */
export function contentDigest(raw: Buffer): string {
  const { header, bodyStart } = splitHeader(raw);
  const origin = fields(header)
    .filter(([name]) => ORIGIN_FIELDS.has(name))
    .map(([name, value]) => `${name}:${value.replace(/\s+/g, " ")}`)
    .join("\n");
  const h = createHash("sha256").update(`${origin}\n\n`, "latin1");
  // The body is hashed in place (it may be 100 MB): CRLF as LF, trailing white space left out.
  let end = raw.length;
  while (end > bodyStart && (raw[end - 1] === 0x20 || raw[end - 1] === 0x09 || raw[end - 1] === 0x0d || raw[end - 1] === 0x0a)) end--;
  let at = bodyStart;
  for (let cr = raw.indexOf("\r\n", at); cr >= 0 && cr < end; cr = raw.indexOf("\r\n", at)) {
    h.update(raw.subarray(at, cr));
    at = cr + 1;
  }
  h.update(raw.subarray(at, end));
  return h.digest("hex");
}

/**
 * The deterministic key of a message: its Message-ID made safe for a folder
 * name and a job id, else `sha256-<content digest>`. An id that had to be
 * changed to be safe (or cut) carries a hash of the exact id, so two
 * different ids never fold into one key. The same email fetched from two
 * mailboxes gets the same key; a different email reusing a Message-ID is
 * told apart by the archive (see Archive.putMessage).
 */
export function messageKeyOf(raw: Buffer): string {
  const id = rawMessageId(raw);
  if (id) {
    // A leading dot would make a hidden or relative folder name.
    const safe = id.replace(/[^A-Za-z0-9._@+=-]/g, "_").replace(/^\.+/, (d) => "_".repeat(d.length));
    if (/[A-Za-z0-9]/.test(safe)) {
      return safe === id && safe.length <= MAX_KEY ? safe : `${safe.slice(0, MAX_KEY - 17)}-${sha256(id).slice(0, 16)}`;
    }
  }
  return `sha256-${contentDigest(raw)}`;
}
