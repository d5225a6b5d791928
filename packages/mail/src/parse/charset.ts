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
