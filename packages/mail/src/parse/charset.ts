import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";

/**
 * Header bytes as text: UTF-8 when they are (or nearly are: a name cut in the
 * middle of a character by the sender's client), else GB18030, the superset
 * of GBK and GB2312 that Chinese clients send raw.
 */
export function decodeHeaderBytes(buf: Buffer): string {
  if (isUtf8(buf)) return buf.toString("utf8");
  const { valid, invalid } = utf8Census(buf);
  // Legacy double-byte text seldom forms valid UTF-8 sequences; many valid ones and a stray bad byte is damaged UTF-8.
  // The broken bytes are dropped, not replaced: mailparser falls back to Latin-1 for a value holding U+FFFD.
  if (valid >= 4 && invalid * 8 <= valid) return buf.toString("utf8").replace(/\ufffd/g, "");
  return iconv.decode(buf, "gb18030");
}

/** Counts well-formed multi-byte UTF-8 sequences and bytes that belong to none. */
function utf8Census(buf: Buffer): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < buf.length; ) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? (b <= 0xef ? 3 : 0) : b >= 0xc2 ? 2 : 0;
    let ok = len > 0 && i + len <= buf.length;
    for (let k = 1; ok && k < len; k++) ok = (buf[i + k]! & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += len;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

/**
 * Whether 8-bit text reads as GBK/GB18030: every high byte opens a valid
 * double-byte (or four-byte) sequence. Latin-1 text fails this quickly: its
 * accented letters are followed by spaces and punctuation.
 */
export function looksLikeGbk(buf: Buffer): boolean {
  let pairs = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b < 0x80) continue;
    const t = buf[i + 1];
    if (b === 0x80 || b === 0xff || t === undefined) return false;
    if (t >= 0x40 && t <= 0xfe && t !== 0x7f) {
      pairs++;
      i++;
    } else if (t >= 0x30 && t <= 0x39 && i + 3 < buf.length && buf[i + 2]! >= 0x81 && buf[i + 3]! >= 0x30 && buf[i + 3]! <= 0x39) {
      pairs++;
      i += 3;
    } else {
      return false;
    }
  }
  return pairs > 0;
}
