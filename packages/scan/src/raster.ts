import sharp, { type Sharp } from "sharp";

/** A decoded page: 8-bit RGB, row-major, no padding. */
export interface Raster {
  data: Buffer;
  width: number;
  height: number;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Longest side a page is worked on at: 200 dpi of A4, enough for OCR and marks. */
export const WORK_SIDE = 2339;

export interface DecodeOptions {
  /** Frame of a multi-page TIFF/GIF. */
  page?: number;
  /** Refuse images over this many pixels (sharp's own guard, behind the header check). */
  maxPixels: number;
  /** Clockwise rotation to apply after decoding, in degrees (a PDF page's /Rotate). */
  rotate?: number;
  /** When the input is raw pixels rather than an encoded image. */
  raw?: { width: number; height: number; channels: 1 | 3 };
}

export async function decodeRaster(input: Buffer, opts: DecodeOptions): Promise<Raster> {
  const img = opts.raw
    ? sharp(input, { raw: opts.raw, limitInputPixels: opts.maxPixels })
    : sharp(input, { limitInputPixels: opts.maxPixels, page: opts.page ?? 0, failOn: "none" });
  // A PDF page's /Rotate, else the photo's EXIF orientation.
  const upright = opts.rotate ? img.rotate(opts.rotate) : opts.raw ? img : img.rotate();
  const { data, info } = await upright
    .resize({ width: WORK_SIDE, height: WORK_SIDE, fit: "inside", withoutEnlargement: true })
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels === 3) return { data, width: info.width, height: info.height };
  return toRgb(data, info.width, info.height, info.channels);
}

function toRgb(src: Buffer, width: number, height: number, channels: number): Raster {
  const out = Buffer.alloc(width * height * 3);
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    const o = i * channels;
    const g = src[o]!;
    out[j] = g;
    out[j + 1] = channels >= 3 ? src[o + 1]! : g;
    out[j + 2] = channels >= 3 ? src[o + 2]! : g;
  }
  return { data: out, width, height };
}

function rawSharp(r: Raster): Sharp {
  return sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } });
}

/** Rotates by any angle (degrees, clockwise), filling with white. */
export async function rotateRaster(r: Raster, angle: number): Promise<Raster> {
  const { data, info } = await rawSharp(r).rotate(angle, { background: { r: 255, g: 255, b: 255 } }).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * The page as OCR input: grey JPEG (PNG-encoding a noisy scan costs seconds),
 * shrunk to `maxSide` (150–200 dpi is enough for tesseract), or brought to
 * it with `enlarge` (small text of a soft photo).
 */
export async function ocrJpeg(r: Raster, opts: { maxSide?: number; whiten?: (d: Buffer) => Buffer; enlarge?: boolean } = {}): Promise<{ jpeg: Buffer; scale: number }> {
  const maxSide = opts.maxSide ?? 1800;
  const scale = opts.enlarge ? maxSide / Math.max(r.width, r.height) : Math.min(1, maxSide / Math.max(r.width, r.height));
  const data = opts.whiten ? opts.whiten(r.data) : r.data;
  const jpeg = await sharp(data, { raw: { width: r.width, height: r.height, channels: 3 } })
    .resize({ width: Math.round(r.width * scale), height: Math.round(r.height * scale), fit: "fill" })
    .greyscale()
    .jpeg({ quality: 88 })
    .toBuffer();
  return { jpeg, scale };
}

/** A clipped box of the raster as a small evidence JPEG (≤ ~60 KB). */
export async function cropJpeg(r: Raster, box: Box, maxSide = 420): Promise<Buffer | undefined> {
  const left = Math.max(0, Math.floor(box.x0));
  const top = Math.max(0, Math.floor(box.y0));
  const width = Math.min(r.width, Math.ceil(box.x1)) - left;
  const height = Math.min(r.height, Math.ceil(box.y1)) - top;
  if (width < 4 || height < 4) return undefined;
  return rawSharp(r)
    .extract({ left, top, width, height })
    .resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true })
    .jpeg({ quality: 70 })
    .toBuffer();
}

/** Downscales for the fast image tests (seal, skew): integer box averaging, done by libvips. */
export async function shrinkRaster(r: Raster, maxSide: number): Promise<Raster> {
  const scale = Math.min(1, maxSide / Math.max(r.width, r.height));
  if (scale === 1) return r;
  const { data, info } = await rawSharp(r)
    .resize({ width: Math.max(1, Math.round(r.width * scale)), height: Math.max(1, Math.round(r.height * scale)), fit: "fill" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
