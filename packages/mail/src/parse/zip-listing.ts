/**
 * Names of a zip's entries read straight from its central directory, without
 * inflating anything: enough to tell a .docx or .odt from a plain archive.
 * Returns null when the bytes hold no readable central directory.
 */
const EOCD = 0x06054b50;
const EOCD64_LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CDH = 0x02014b50;
/** Only the first entries are looked at: Office files list their parts early. */
const MAX_NAMES = 2000;

export function zipEntryNames(buf: Buffer): string[] | null {
  const eocd = findEocd(buf);
  if (eocd < 0) return null;
  let offset = buf.readUInt32LE(eocd + 16);
  let count = buf.readUInt16LE(eocd + 10);
  if ((offset === 0xffffffff || count === 0xffff) && eocd >= 20 && buf.readUInt32LE(eocd - 20) === EOCD64_LOCATOR) {
    const at = Number(buf.readBigUInt64LE(eocd - 20 + 8));
    if (at + 56 <= buf.length && buf.readUInt32LE(at) === EOCD64) {
      count = Number(buf.readBigUInt64LE(at + 32));
      offset = Number(buf.readBigUInt64LE(at + 48));
    }
  }
  const names: string[] = [];
  let p = offset;
  for (let i = 0; i < Math.min(count, MAX_NAMES); i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CDH) break;
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLen > buf.length) break;
    names.push(buf.toString("latin1", p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names.length ? names : localHeaderNames(buf);
}

function findEocd(buf: Buffer): number {
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf[i] === 0x50 && buf.readUInt32LE(i) === EOCD) return i;
  }
  return -1;
}

/** Fallback for a truncated zip: walk the local headers from the start while sizes are known. */
function localHeaderNames(buf: Buffer): string[] | null {
  const names: string[] = [];
  let p = 0;
  while (names.length < MAX_NAMES && p + 30 <= buf.length && buf.readUInt32LE(p) === 0x04034b50) {
    const flags = buf.readUInt16LE(p + 6);
    const size = buf.readUInt32LE(p + 18);
    const nameLen = buf.readUInt16LE(p + 26);
    const extraLen = buf.readUInt16LE(p + 28);
    names.push(buf.toString("latin1", p + 30, Math.min(buf.length, p + 30 + nameLen)));
    // With a data descriptor the size is not in the local header: stop walking.
    if (flags & 0x08) break;
    p += 30 + nameLen + extraLen + size;
  }
  return names.length ? names : null;
}
