import type { ScanFileType } from "./types.js";

/** ISO-BMFF major brands of HEIC/HEIF photos and AVIF stills. */
const HEIF_BRANDS = new Set(["heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1", "avif", "avis"]);

/** The scan type the bytes really are, or null when they are none of them (e.g. an executable). */
export function sniffType(buf: Buffer): ScanFileType | null {
  if (buf.length < 8) return null;
  if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return "jpeg";
  if (buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "png";
  const head4 = buf.subarray(0, 4).toString("latin1");
  if (head4 === "II*\0" || head4 === "MM\0*") return "tiff";
  if (head4 === "GIF8") return "gif";
  if (head4.startsWith("BM")) return "bmp";
  if (head4 === "RIFF" && buf.subarray(8, 12).toString("latin1") === "WEBP") return "webp";
  if (buf.subarray(4, 8).toString("latin1") === "ftyp" && HEIF_BRANDS.has(buf.subarray(8, 12).toString("latin1"))) return "heif";
  // Readers accept a PDF header anywhere in the first KiB (some scanners prepend junk).
  if (buf.subarray(0, 1024).includes("%PDF-")) return "pdf";
  return null;
}
