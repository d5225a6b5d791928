import { isUtf8 } from "node:buffer";
import type { FileType } from "./types.js";
import { zipEntryNames } from "./zip-listing.js";

const OLE = Buffer.from("d0cf11e0a1b11ae1", "hex");
/** ISO-BMFF major brands of HEIC/HEIF (iPhone photos) and AVIF stills. */
const HEIF_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1", "avif", "avis"]);
const TNEF = Buffer.from("789f3e22", "hex");
const ODT_MIME = "application/vnd.oasis.opendocument.text";
const MAIL_HEADERS = /^(received|return-path|from|to|subject|date|message-id|mime-version|delivered-to|x-[a-z0-9-]+|dkim-signature|reply-to|content-type|sender|arc-[a-z-]+|authentication-results)[ \t]*:/im;

/** What a file is, by its magic bytes alone: never by its name or declared type. */
export function sniffType(buf: Buffer): FileType {
  if (buf.length === 0) return "unknown";
  const head = buf.subarray(0, 16);
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5 || head[2] === 7)) return zipKind(buf);
  if (head.subarray(0, 8).equals(OLE)) return "ole";
  if (head.subarray(0, 4).equals(TNEF)) return "tnef";
  if (head[0] === 0x4d && head[1] === 0x5a) return "exe";
  if (head[0] === 0x7f && head.toString("latin1", 1, 4) === "ELF") return "exe";
  const magic32 = head.length >= 4 ? head.readUInt32BE(0) : 0;
  if ([0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe].includes(magic32)) return "exe";
  if (head.toString("latin1", 0, 5) === "{\\rtf") return "rtf";
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return "jpeg";
  if (head.toString("latin1", 0, 8) === "\x89PNG\r\n\x1a\n") return "png";
  const four = head.toString("latin1", 0, 4);
  if (four === "II*\0" || four === "MM\0*") return "tiff";
  if (head.toString("latin1", 0, 6) === "GIF87a" || head.toString("latin1", 0, 6) === "GIF89a") return "gif";
  if (four === "RIFF" && head.toString("latin1", 8, 12) === "WEBP") return "webp";
  if (head.toString("latin1", 4, 8) === "ftyp" && HEIF_BRANDS.has(head.toString("latin1", 8, 12))) return "heif";
  if (isBmp(buf)) return "bmp";
  // PDF readers accept the header anywhere in the first KB, so senders' junk before it is common.
  if (buf.subarray(0, 1024).includes("%PDF-")) return "pdf";
  return textKind(buf);
}

function zipKind(buf: Buffer): FileType {
  const names = zipEntryNames(buf) ?? [];
  if (names.some((n) => n === "word/document.xml" || n.startsWith("word/"))) return "docx";
  if (names.includes("mimetype") && buf.subarray(0, 200).includes(ODT_MIME)) return "odt";
  return "zip";
}

function isBmp(buf: Buffer): boolean {
  if (buf.length < 26 || buf[0] !== 0x42 || buf[1] !== 0x4d) return false;
  // Reserved bytes are zero and the DIB header size is one of the known ones.
  const dib = buf.readUInt32LE(14);
  return buf.readUInt32LE(6) === 0 && [12, 40, 52, 56, 64, 108, 124].includes(dib);
}

function textKind(buf: Buffer): FileType {
  const sample = buf.subarray(0, 4096);
  if (sample.includes(0)) return "unknown";
  let s = sample.toString("latin1");
  if (s.startsWith("\xef\xbb\xbf")) s = s.slice(3);
  const lead = s.trimStart().slice(0, 512).toLowerCase();
  if (/^<(!doctype html|html|head|body|meta|table|div|p)[\s>]/.test(lead) || /<html[\s>]/.test(lead)) return "html";
  if (MAIL_HEADERS.test(s.split(/\r?\n\r?\n/, 1)[0] ?? "") && /^[A-Za-z][A-Za-z0-9-]*[ \t]*:/.test(s)) return "eml";
  // Cut the sample at a line end so a multi-byte character split at 4 KB does not spoil the test.
  const cut = sample.lastIndexOf(0x0a);
  const probe = cut > 0 && sample.length === 4096 ? sample.subarray(0, cut) : sample;
  if (isUtf8(probe) || looksLikeText(probe)) return "text";
  return "unknown";
}

/** Legacy-encoded text (GBK, Latin-1…): few control bytes. */
function looksLikeText(buf: Buffer): boolean {
  let bad = 0;
  for (const b of buf) if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) bad++;
  return bad <= buf.length / 100;
}
