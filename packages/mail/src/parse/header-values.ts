import libmime from "libmime";

/** One raw header as mailparser keeps it: `key` lower-cased, `line` the whole folded field. */
export interface HeaderLine {
  key: string;
  line: string;
}

// Characters that could break a header or a line when a value is reused: CR, LF, NEL, LS, PS, other controls.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** A value made safe to show or reuse on one line: controls become spaces, runs of space collapse. */
export function oneLine(s: string): string {
  return s.replace(UNSAFE, " ").replace(/\s{2,}/g, " ").trim();
}

/**
 * The unfolded, undecoded value of a header line. mailparser keeps raw lines
 * as one char per byte; header bytes are UTF-8 by now (see prepare-raw), so
 * they are read back as UTF-8.
 */
export function rawValue(h: HeaderLine): string {
  const i = h.line.indexOf(":");
  let v = (i < 0 ? "" : h.line.slice(i + 1)).replace(/\r?\n[ \t]*/g, " ").trim();
  if (/[\x80-\xff]/.test(v) && !/[^\x00-\xff]/.test(v)) v = Buffer.from(v, "latin1").toString("utf8");
  return v;
}

export function decodeWords(s: string): string {
  try {
    return libmime.decodeWords(s);
  } catch {
    return s;
  }
}

/** Header name → decoded value(s), each occurrence one line, repeats joined by "\n", each capped. */
export function headerRecord(lines: readonly HeaderLine[], maxChars: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of lines) {
    const key = h.key.toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(key)) continue;
    const value = oneLine(decodeWords(rawValue(h).slice(0, maxChars * 4))).slice(0, maxChars);
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else if (prev.length < maxChars) out[key] = `${prev}\n${value}`.slice(0, maxChars);
  }
  return out;
}

/**
 * An RFC 5322 date, or null. mailparser puts "now" in place of a bad Date
 * header, which would make a late message look on time (or the reverse), so
 * dates are read here from the raw text.
 */
export function parseMailDate(value: string | undefined): Date | null {
  if (!value) return null;
  let s = value.replace(/\([^)]*\)/g, " ").replace(/\s+/g, " ").trim();
  if (!s) return null;
  // "+0800 CST" and similar trailing zone names confuse Date.parse.
  s = s.replace(/([+-]\d{4})\s+[A-Za-z]{2,5}$/, "$1");
  let t = Date.parse(s);
  if (Number.isNaN(t)) t = Date.parse(s.replace(/^[A-Za-z]{3},?\s*/, ""));
  if (Number.isNaN(t)) return null;
  const d = new Date(t);
  const y = d.getUTCFullYear();
  return y >= 1980 && y <= 2200 ? d : null;
}

/** The time stamped by the newest (topmost) Received header that carries a readable one. */
export function receivedDate(lines: readonly HeaderLine[]): Date | null {
  for (const h of lines) {
    if (h.key.toLowerCase() !== "received") continue;
    const v = rawValue(h);
    const semi = v.lastIndexOf(";");
    if (semi < 0) continue;
    const d = parseMailDate(v.slice(semi + 1));
    if (d) return d;
  }
  return null;
}
