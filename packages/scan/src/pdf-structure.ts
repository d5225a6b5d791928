/**
 * How deep a PDF's arrays and dictionaries nest, from its bytes: a linear
 * pass that skips stream data and strings. Real documents nest a few levels;
 * hundreds of thousands are built to exhaust a parser's stack or heap (and
 * pdf-lib then silently drops the object), so the file is refused as built
 * against readers rather than read in part.
 */
export function pdfNestingDepth(buf: Buffer): number {
  let depth = 0;
  let max = 0;
  const n = buf.length;
  for (let i = 0; i < n; i++) {
    const c = buf[i]!;
    if (c === 0x5b) depth++; // [
    else if (c === 0x5d) depth = Math.max(0, depth - 1); // ]
    else if (c === 0x3c && buf[i + 1] === 0x3c) {
      depth++; // <<
      i++;
    } else if (c === 0x3e && buf[i + 1] === 0x3e) {
      depth = Math.max(0, depth - 1); // >>
      i++;
    }
    else if (c === 0x28) i = skipString(buf, i); // (
    else if (c === 0x25) i = skipLine(buf, i); // % comment
    else if (c === 0x73 && buf.toString("latin1", i, i + 6) === "stream" && (buf[i + 6] === 0x0a || buf[i + 6] === 0x0d)) {
      const end = buf.indexOf("endstream", i + 6, "latin1");
      i = end < 0 ? n : end + 8;
    }
    if (depth > max) max = depth;
  }
  return max;
}

function skipString(buf: Buffer, start: number): number {
  let level = 0;
  for (let i = start; i < buf.length; i++) {
    const c = buf[i]!;
    if (c === 0x5c) i++; // backslash escape
    else if (c === 0x28) level++;
    else if (c === 0x29 && --level === 0) return i;
  }
  return buf.length;
}

function skipLine(buf: Buffer, start: number): number {
  const nl = buf.indexOf(0x0a, start);
  return nl < 0 ? buf.length : nl;
}
