import bmp from "bmp-js";
import decodeHeic from "heic-decode";

/** Raw 8-bit RGB pixels, as the page source hands them to decodeRaster. */
export interface RawPicture {
  bytes: Buffer;
  raw: { width: number; height: number; channels: 3 };
}

/**
 * Size of a BMP from its header, before anything is decoded (libvips in
 * sharp's build reads no BMP). Null when the header is not one.
 */
export function bmpSize(buf: Buffer): { width: number; height: number } | null {
  if (buf.length < 26 || buf.toString("latin1", 0, 2) !== "BM") return null;
  const dib = buf.readUInt32LE(14);
  if (dib === 12) return { width: buf.readUInt16LE(18), height: buf.readUInt16LE(20) };
  if (dib < 40 || buf.length < 26) return null;
  return { width: Math.abs(buf.readInt32LE(18)), height: Math.abs(buf.readInt32LE(22)) };
}

/** Four bytes a pixel to three: `order` gives where red, green and blue sit. */
function rgbOf(px: ArrayLike<number>, width: number, height: number, order: [number, number, number]): RawPicture {
  const [r, g, b] = order;
  const bytes = Buffer.alloc(width * height * 3);
  for (let i = 0, j = 0; j < bytes.length; i += 4, j += 3) {
    bytes[j] = px[i + r]!;
    bytes[j + 1] = px[i + g]!;
    bytes[j + 2] = px[i + b]!;
  }
  return { bytes, raw: { width, height, channels: 3 } };
}

/**
 * A BMP (1 to 32 bits, RLE4/RLE8 included) as raw RGB, through bmp-js (the
 * decoder tesseract.js uses; its pixels come as ABGR).
 */
export function bmpPixels(buf: Buffer): RawPicture {
  const img = bmp.decode(buf);
  return rgbOf(img.data, img.width, img.height, [3, 2, 1]);
}

/**
 * A HEIC photo (iPhones send them) as raw RGB, through libheif compiled to
 * WebAssembly: sharp's prebuilt libvips reads HEIF containers and AVIF but
 * carries no HEVC decoder.
 */
export async function heicPixels(buf: Buffer): Promise<RawPicture> {
  const img = await decodeHeic({ buffer: new Uint8Array(buf) });
  return rgbOf(img.data, img.width, img.height, [0, 1, 2]);
}
