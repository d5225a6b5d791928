/** Longest stored name in UTF-8 bytes: room below the usual 255-byte limit for a suffix. */
const MAX_NAME_BYTES = 180;
const MAX_EXT_CHARS = 12;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;
// Controls (Cc), format characters (Cf: bidi marks, overrides and isolates, zero-width
// characters, the soft hyphen) and line/paragraph separators: invisible, and used to
// disguise an extension ("说明.\u2069hta" shows as a document but is stored as .hta).
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/**
 * A file name made safe to store: no directory part, no separators or "..",
 * no control characters, not a Windows reserved name, length-capped with the
 * extension kept. Never empty.
 */
export function sanitiseFileName(name: string): string {
  let s = name.normalize("NFC").replace(INVISIBLE, "");
  s = s.slice(Math.max(s.lastIndexOf("/"), s.lastIndexOf("\\")) + 1);
  s = s.replace(/[<>:"|?*]/g, "_").replace(/\s+/g, " ");
  s = s.replace(/^[\s.]+/, "").replace(/[\s.]+$/, "");
  if (!s) s = "attachment";
  const dot = s.indexOf(".");
  const stem = dot < 0 ? s : s.slice(0, dot);
  if (RESERVED.test(stem.trim())) s = `_${s}`;
  return capLength(s);
}

function capLength(s: string): string {
  if (Buffer.byteLength(s) <= MAX_NAME_BYTES) return s;
  const dot = s.lastIndexOf(".");
  const ext = dot > 0 && s.length - dot <= MAX_EXT_CHARS ? s.slice(dot) : "";
  return fitStem(s.slice(0, s.length - ext.length), ext);
}

/** `stem + tail`, the stem cut (whole characters) so the result fits MAX_NAME_BYTES. */
function fitStem(stem: string, tail: string): string {
  const room = MAX_NAME_BYTES - Buffer.byteLength(tail);
  let out = "";
  let used = 0;
  for (const c of stem) {
    const n = Buffer.byteLength(c);
    if (used + n > room) break;
    out += c;
    used += n;
  }
  return (out.replace(/[\s.]+$/, "") || "_") + tail;
}

/** Makes stored names unique within one message (case-insensitively, for case-insensitive disks). */
export class StoredNames {
  private readonly used = new Set<string>();

  claim(name: string): string {
    const base = sanitiseFileName(name);
    let candidate = base;
    const dot = base.lastIndexOf(".");
    const stem = dot > 0 ? base.slice(0, dot) : base;
    const ext = dot > 0 ? base.slice(dot) : "";
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) candidate = fitStem(stem, `-${n}${ext}`);
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}

/**
 * The lower-cased extension without the dot, or "", of the name as it is
 * stored (invisible characters gone, trailing dots and spaces cut): what a
 * reviewer's computer will go by when the file is opened.
 */
export function extensionOf(name: string): string {
  const base = sanitiseFileName(name);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).trim().toLowerCase() : "";
}
