import { isUtf8 } from "node:buffer";
import { decodeHeaderBytes, looksLikeGbk } from "./charset.js";
import type { MailLimits } from "./limits.js";

export interface PreparedRaw {
  raw: Buffer;
  /** Some header field or block was cut to fit the limits. */
  truncated: boolean;
  /** Some header line was raw 8-bit legacy text (GBK) and was re-encoded as UTF-8. */
  transcoded: boolean;
}

/**
 * Rewrites the header blocks of a message (the top one and every MIME part's)
 * before mailparser sees them:
 * - raw 8-bit header bytes that are not valid UTF-8 are GBK/GB18030 from old
 *   Chinese clients; mailparser would read them as Latin-1, so they are
 *   transcoded to UTF-8, which it reads correctly;
 * - an over-long header field is cut (mailparser refuses a 1 MB header outright);
 * - an unencoded text part whose bytes are GBK but which declares no charset,
 *   us-ascii or utf-8 is relabelled gb18030 (mailparser would make U+FFFD of it).
 * Other bodies are left alone: mailparser decodes their declared charset.
 * One linear pass; the buffer is copied only when something changes.
 */
export function prepareRaw(raw: Buffer, limits: MailLimits): PreparedRaw {
  const out: Buffer[] = [];
  const boundaries = new Set<string>();
  let changed = false;
  let truncated = false;
  let transcoded = false;
  let inHeader = true;
  let block: Buffer[] = [];
  let pos = 0;

  const flushBlock = (): void => {
    const r = rewriteBlock(block, limits);
    if (r.changed) changed = true;
    if (r.truncated) truncated = true;
    if (r.transcoded) transcoded = true;
    if (r.boundary) boundaries.add(r.boundary);
    out.push(...r.lines);
    if (r.textCharset) {
      const fix = relabelGbkBody(raw, pos, boundaries, r.textCharset.mimeType);
      if (fix) {
        const start = out.length - r.lines.length;
        const [first, ...rest] = r.textCharset.lines;
        if (first === undefined) out.push(fix);
        else out[start + first] = fix;
        for (const i of rest) out[start + i] = Buffer.alloc(0);
        changed = true;
      }
    }
    block = [];
    // A message/rfc822 part sent unencoded starts with another header block.
    inHeader = r.nestedMessage;
  };

  while (pos < raw.length) {
    if (!inHeader) {
      // Body bytes pass through untouched; only a line starting with "--" can end a part, so jump to the next one.
      const next = boundaries.size ? raw.indexOf("\n--", Math.max(0, pos - 1)) : -1;
      if (next < 0) {
        out.push(raw.subarray(pos));
        break;
      }
      out.push(raw.subarray(pos, next + 1));
      pos = next + 1;
    }
    let end = raw.indexOf(0x0a, pos);
    end = end < 0 ? raw.length : end + 1;
    const line = raw.subarray(pos, end);
    pos = end;
    if (inHeader) {
      if (isBlank(line)) {
        flushBlock();
        out.push(line);
      } else {
        block.push(line);
      }
      continue;
    }
    out.push(line);
    const b = boundaryOf(line);
    if (b !== null && boundaries.has(b.name) && !b.closing) inHeader = true;
  }
  if (block.length) flushBlock();
  return { raw: changed ? Buffer.concat(out) : raw, truncated, transcoded };
}

function isBlank(line: Buffer): boolean {
  return line.length === 0 || (line.length === 1 && line[0] === 0x0a) || (line.length === 2 && line[0] === 0x0d && line[1] === 0x0a);
}

function boundaryOf(line: Buffer): { name: string; closing: boolean } | null {
  if (line.length > 200) return null;
  let s = line.toString("latin1").replace(/[\r\n]+$/, "").replace(/[ \t]+$/, "").slice(2);
  const closing = s.endsWith("--");
  if (closing) s = s.slice(0, -2);
  return { name: s, closing };
}

interface BlockResult {
  lines: Buffer[];
  changed: boolean;
  truncated: boolean;
  transcoded: boolean;
  boundary: string | null;
  nestedMessage: boolean;
  /** A text part that declares no usable charset: its Content-Type line indexes, and its MIME type. */
  textCharset: { lines: number[]; mimeType: string } | null;
}

/**
 * Fields still kept once a header block is over its cap (each once): what
 * the MIME structure, the sender and the classification depend on. 90,000
 * junk fields before Content-Type must not turn a submission into a letter
 * without attachments.
 */
const KEPT_PAST_CAP = new Set([
  "content-type", "content-transfer-encoding", "content-disposition", "content-id", "mime-version",
  "from", "sender", "reply-to", "to", "cc", "subject", "date", "message-id", "in-reply-to", "references",
  "auto-submitted", "precedence", "list-id", "list-unsubscribe", "return-path",
]);

const MIN_LINE_COST = 64;

function fieldName(line: Buffer): string {
  const head = line.subarray(0, 40).toString("latin1");
  const colon = head.indexOf(":");
  return colon > 0 ? head.slice(0, colon).trim().toLowerCase() : "";
}

function rewriteBlock(lines: Buffer[], limits: MailLimits): BlockResult {
  const res: BlockResult = {
    lines: [], changed: false, truncated: false, transcoded: false, boundary: null, nestedMessage: false, textCharset: null,
  };
  const ctLines: number[] = [];
  let blockBytes = 0;
  let fieldBytes = 0;
  let fieldCut = false;
  let contentType = "";
  let encoding = "";
  let current: "ct" | "cte" | "" = "";
  // Past the block's cap only KEPT_PAST_CAP fields are kept, each once, within their own cap.
  const keptPastCap = new Set<string>();
  let pastCapField = false;
  for (let line of lines) {
    const continuation = line[0] === 0x20 || line[0] === 0x09;
    if (!continuation) {
      fieldBytes = 0;
      fieldCut = false;
      const name = fieldName(line);
      current = name === "content-type" ? "ct" : name === "content-transfer-encoding" ? "cte" : "";
      pastCapField = false;
      if (blockBytes >= limits.maxHeaderBlockBytes) {
        pastCapField = KEPT_PAST_CAP.has(name) && !keptPastCap.has(name);
        if (pastCapField) keptPastCap.add(name);
      }
    }
    if (fieldCut) {
      res.changed = true;
      continue;
    }
    if (blockBytes >= limits.maxHeaderBlockBytes && !pastCapField) {
      res.changed = res.truncated = true;
      continue;
    }
    if (has8bit(line) && !isUtf8(line)) {
      line = Buffer.from(decodeHeaderBytes(line), "utf8");
      res.changed = res.transcoded = true;
    }
    const room = pastCapField ? limits.maxHeaderFieldBytes - fieldBytes : Math.min(limits.maxHeaderFieldBytes - fieldBytes, limits.maxHeaderBlockBytes - blockBytes);
    if (line.length > room) {
      line = cutLine(line, Math.max(room, 1));
      res.changed = res.truncated = true;
      fieldCut = true;
    }
    fieldBytes += line.length;
    // Counted as mailparser counts a header block against its 1 MiB: every line at least 64 bytes.
    blockBytes += Math.max(line.length, MIN_LINE_COST);
    if (current === "ct") {
      contentType += line.toString("latin1");
      ctLines.push(res.lines.length);
    }
    else if (current === "cte") encoding += line.toString("latin1");
    res.lines.push(line);
  }
  const ct = contentType.replace(/\r?\n/g, "");
  const m = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(ct);
  if (m) res.boundary = (m[1] ?? m[2] ?? "").trim() || null;
  const cte = encoding.toLowerCase();
  res.nestedMessage = /:\s*message\/(rfc822|global)\b/i.test(ct) && !/base64|quoted-printable/.test(cte);
  const mimeType = (/^[^:]*:\s*([^;\s]*)/.exec(ct)?.[1] ?? "").toLowerCase();
  const charset = (/charset\s*=\s*"?([^";\s]+)/i.exec(ct)?.[1] ?? "").toLowerCase();
  if ((mimeType === "" || mimeType.startsWith("text/")) && ["", "us-ascii", "ascii", "utf-8", "utf8"].includes(charset) && !/base64|quoted-printable/.test(cte)) {
    res.textCharset = { lines: ctLines, mimeType: mimeType || "text/plain" };
  }
  return res;
}

function has8bit(line: Buffer): boolean {
  for (const b of line) if (b >= 0x80) return true;
  return false;
}

/**
 * Cuts a header line to about `max` bytes, at the last space or after the last
 * encoded word that fits, never inside a UTF-8 sequence; ends it with CRLF.
 */
function cutLine(line: Buffer, max: number): Buffer {
  const head = line.subarray(0, max);
  const s = head.toString("latin1");
  let at = Math.max(s.lastIndexOf(" "), s.lastIndexOf("\t"), s.lastIndexOf("?=") >= 0 ? s.lastIndexOf("?=") + 2 : -1);
  if (at < max / 2) at = max;
  while (at > 0 && at < line.length && (line[at]! & 0xc0) === 0x80) at--;
  return Buffer.concat([line.subarray(0, at), Buffer.from("\r\n")]);
}

const MAX_BODY_PROBE = 1024 * 1024;

/** A Content-Type line declaring gb18030 when the body from `start` to its boundary is GBK, else null. */
function relabelGbkBody(raw: Buffer, start: number, boundaries: ReadonlySet<string>, mimeType: string): Buffer | null {
  let end = Math.min(raw.length, start + MAX_BODY_PROBE);
  for (let at = raw.indexOf("\n--", Math.max(0, start - 1)); at >= 0 && at < end; at = raw.indexOf("\n--", at + 1)) {
    const lineEnd = raw.indexOf(0x0a, at + 1);
    const b = boundaryOf(raw.subarray(at + 1, lineEnd < 0 ? raw.length : lineEnd + 1));
    if (b && boundaries.has(b.name)) {
      end = at;
      break;
    }
  }
  const body = raw.subarray(start, end);
  if (!has8bit(body) || isUtf8(body) || !looksLikeGbk(body)) return null;
  return Buffer.from(`Content-Type: ${mimeType}; charset=gb18030\r\n`);
}
