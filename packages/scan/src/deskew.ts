import type { Raster } from "./raster.js";

export interface SkewOptions {
  /** Largest angle tried either way, in degrees. Default 5. */
  maxAngle?: number;
  /** Step between angles tried, in degrees. Default 0.25. */
  step?: number;
}

/**
 * The small skew of a page, in degrees (positive: content turned clockwise),
 * found as the angle whose horizontal projection of dark pixels is sharpest:
 * text lines and table rules line up with the rows only when the page is straight.
 * Expects a small raster (≤ ~1000 px): the work is pixels × angles.
 */
export function estimateSkew(r: Raster, opts: SkewOptions = {}): number {
  const maxAngle = opts.maxAngle ?? 5;
  const step = opts.step ?? 0.25;
  const xs: number[] = [];
  const ys: number[] = [];
  const { data, width, height } = r;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const lum = (data[i]! * 3 + data[i + 1]! * 6 + data[i + 2]!) / 10;
      if (lum < 128) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  if (xs.length < 200) return 0;
  const diag = Math.ceil(Math.hypot(width, height));
  const bins = new Float64Array(diag * 2 + 2);
  let best = 0;
  let bestScore = -1;
  let zeroScore = 0;
  for (let a = -maxAngle; a <= maxAngle + 1e-9; a += step) {
    const rad = (a * Math.PI) / 180;
    const s = Math.sin(rad);
    const c = Math.cos(rad);
    bins.fill(0);
    for (let k = 0; k < xs.length; k++) bins[Math.round(ys[k]! * c - xs[k]! * s) + diag]! += 1;
    let score = 0;
    for (let b = 0; b < bins.length; b++) score += bins[b]! * bins[b]!;
    if (Math.abs(a) < 1e-9) zeroScore = score;
    if (score > bestScore) {
      bestScore = score;
      best = a;
    }
  }
  // Keep the page as it is unless another angle is clearly sharper.
  return bestScore > zeroScore * 1.02 ? Math.round(best * 100) / 100 : 0;
}
