import type { Raster } from "./raster.js";

/** Luminance of each pixel (ITU-R 601 weights), one byte per pixel. */
export function luminance(r: Raster): Uint8Array {
  const { data, width, height } = r;
  const out = new Uint8Array(width * height);
  for (let i = 0, o = 0; i < out.length; i++, o += 3) out[i] = (data[o]! * 77 + data[o + 1]! * 150 + data[o + 2]! * 29) >> 8;
  return out;
}

/** Mean of `v` over the (2k+1)² window around each pixel, clipped at the edges (integral image). */
export function boxMean(v: Uint8Array, width: number, height: number, k: number): Uint8Array {
  const W = width + 1;
  const sum = new Float64Array(W * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += v[y * width + x]!;
      sum[(y + 1) * W + x + 1] = sum[y * W + x + 1]! + row;
    }
  }
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.max(0, y - k);
    const y1 = Math.min(height, y + k + 1);
    for (let x = 0; x < width; x++) {
      const x0 = Math.max(0, x - k);
      const x1 = Math.min(width, x + k + 1);
      const s = sum[y1 * W + x1]! - sum[y0 * W + x1]! - sum[y1 * W + x0]! + sum[y0 * W + x0]!;
      out[y * width + x] = s / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

export interface InkOptions {
  /** Half-size of the window the paper's brightness is taken from, in pixels. Default: 1/40 of the long side. */
  window?: number;
  /** How much darker than the paper around it a pixel must be, as a share of the paper's brightness. Default 0.25. */
  contrast?: number;
  /** Pixels lighter than this are never ink, whatever is around them. Default 200. */
  maxLum?: number;
}

/** The paper's brightness: the 90th percentile of luminance (most of a page is paper). */
export function paperLevel(lum: Uint8Array): number {
  const hist = new Uint32Array(256);
  for (let i = 0; i < lum.length; i++) hist[lum[i]!]!++;
  let seen = 0;
  for (let v = 0; v < 256; v++) {
    seen += hist[v]!;
    if (seen >= lum.length * 0.9) return v;
  }
  return 255;
}

/**
 * Ink: pixels clearly darker than the paper around them. Taken against the
 * local brightness, not a fixed level, so a phone photo's shading, a grey
 * scan's toned paper and the dark table a photo was taken on are not ink,
 * while a 1-bit scan's black is.
 */
export function inkMask(r: Raster, opts: InkOptions = {}): Uint8Array {
  const lum = luminance(r);
  const k = opts.window ?? Math.max(8, Math.round(Math.max(r.width, r.height) / 40));
  const mean = boxMean(lum, r.width, r.height, k);
  const contrast = opts.contrast ?? 0.25;
  const maxLum = opts.maxLum ?? 200;
  // Where the surroundings are far darker than paper, this is the photo's background or the paper's edge, not writing.
  const paper = paperLevel(lum) * 0.6;
  const m = new Uint8Array(lum.length);
  for (let i = 0; i < lum.length; i++) if (lum[i]! < maxLum && lum[i]! < mean[i]! * (1 - contrast) && mean[i]! >= paper) m[i] = 1;
  return m;
}

/**
 * Clears the long straight runs of a mask (table rules, underlines, a page's
 * edge): runs longer than `maxRun` along a row or a column, also when the
 * line drifts by a pixel every so often (a slightly skewed or photographed
 * rule), since each row is tested together with its neighbours.
 */
export function clearRules(m: Uint8Array, width: number, height: number, maxRun: number, opts: { horizontal?: boolean; vertical?: boolean } = {}): void {
  const clear = new Uint8Array(m.length);
  const pass = (n: number, len: number, at: (line: number, pos: number) => number) => {
    for (let line = 0; line < n; line++) {
      let start = -1;
      for (let pos = 0; pos <= len; pos++) {
        // A rule pixel may sit one row up or down: look at the neighbouring lines too.
        const on = pos < len && (m[at(line, pos)] === 1 || (line > 0 && m[at(line - 1, pos)] === 1) || (line + 1 < n && m[at(line + 1, pos)] === 1));
        if (on && start < 0) start = pos;
        if (!on && start >= 0) {
          if (pos - start > maxRun) for (let p = start; p < pos; p++) clear[at(line, p)] = 1;
          start = -1;
        }
      }
    }
  };
  if (opts.horizontal !== false) pass(height, width, (y, x) => y * width + x);
  if (opts.vertical !== false) pass(width, height, (x, y) => y * width + x);
  for (let i = 0; i < m.length; i++) if (clear[i]) m[i] = 0;
}
