import { luminance } from "./ink.js";
import type { Raster } from "./raster.js";

/** True for a black-and-white (1-bit) scan: next to every pixel pure black or pure white. Test before any resampling. */
export function isBilevel(r: Raster): boolean {
  const { data } = r;
  let other = 0;
  let n = 0;
  for (let o = 0; o < data.length; o += 3 * 5) {
    const v = data[o]!;
    n++;
    if (v > 5 && v < 250) other++;
  }
  return other / Math.max(1, n) < 0.005;
}

/**
 * True for a 1-bit scan that was scaled to grey on the way (by the sender, or
 * by our own decoding to the working size): its paper is one exact white, as
 * a threshold leaves it, and its grey tones are only the blend along the
 * edges between that white and the ink. A grey scan's paper carries the
 * sensor's noise and its ink shades off inside the strokes. A page drawn from
 * vectors looks the same; for the decisions that only errs on the side of
 * doubt.
 */
export function scaledFromBilevel(r: Raster): boolean {
  const lum = luminance(r);
  const { width, height } = r;
  let white = 0;
  for (let i = 0; i < lum.length; i++) if (lum[i]! >= 254) white++;
  if (white < lum.length * 0.6) return false;
  let mid = 0;
  let edge = 0;
  let byWhite = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const v = lum[y * width + x]!;
      if (v < 60 || v > 200) continue;
      mid++;
      let lo = 255;
      let hi = 0;
      for (let dy = -width; dy <= width; dy += width) {
        for (let dx = -1; dx <= 1; dx++) {
          const u = lum[y * width + x + dy + dx]!;
          if (u < lo) lo = u;
          if (u > hi) hi = u;
        }
      }
      if (hi - v > 25 || v - lo > 25) edge++;
      if (hi >= 248) byWhite++;
    }
  }
  // Too little ink to tell by.
  if (mid < 200) return false;
  return edge >= mid * 0.98 && byWhite >= mid * 0.6;
}

/** A page whose source was 1 bit deep: as decoded, by its header's bit depth, or by the traces of scaling. */
export function fromBilevel(r: Raster, sourceBits?: number): boolean {
  return sourceBits === 1 || isBilevel(r) || scaledFromBilevel(r);
}
