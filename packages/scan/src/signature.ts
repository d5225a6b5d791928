import type { Box, Raster } from "./raster.js";

export interface SignatureEvidence {
  found: boolean;
  confidence: number;
  /** Where the signature was looked for, in raster pixels. */
  region: Box;
  /** Share of the region covered by handwriting-like ink. */
  ink: number;
}

/**
 * Handwriting beside the label: dark, non-red ink (the seal may overlap)
 * in the space right of 申报单位负责人（签字）：, less table rules. A blank line
 * leaves only paper noise; a signature, written or in a script font, leaves
 * strokes over a good part of the space.
 */
export function findSignature(r: Raster, label: Box, lineHeight: number, opts: { grey?: boolean } = {}): SignatureEvidence {
  // On a grey scan a red seal is mid-grey: only darker ink counts as writing there.
  const maxLum = opts.grey ? 95 : 150;
  const { data, width, height } = r;
  const region: Box = {
    x0: Math.min(width - 1, Math.round(label.x1 + lineHeight * 0.2)),
    y0: Math.max(0, Math.round(label.y0 - lineHeight * 1.0)),
    x1: Math.min(width, Math.round(label.x1 + Math.max(lineHeight * 12, width * 0.35))),
    y1: Math.min(height, Math.round(label.y1 + lineHeight * 1.6)),
  };
  const rw = region.x1 - region.x0;
  const rh = region.y1 - region.y0;
  if (rw < 4 || rh < 4) return { found: false, confidence: 0.3, region, ink: 0 };
  const mask = new Uint8Array(rw * rh);
  for (let y = 0; y < rh; y++) {
    for (let x = 0; x < rw; x++) {
      const o = ((region.y0 + y) * width + region.x0 + x) * 3;
      const R = data[o]!;
      const G = data[o + 1]!;
      const B = data[o + 2]!;
      const lum = R * 0.3 + G * 0.59 + B * 0.11;
      const red = R - Math.max(G, B) > 30;
      if (lum < maxLum && !red) mask[y * rw + x] = 1;
    }
  }
  // Table rules: rows or columns of ink much longer than any stroke of a name.
  const longRun = Math.max(lineHeight * 6, rw * 0.6);
  for (let y = 0; y < rh; y++) {
    let start = -1;
    for (let x = 0; x <= rw; x++) {
      const on = x < rw && mask[y * rw + x] === 1;
      if (on && start < 0) start = x;
      if (!on && start >= 0) {
        if (x - start > longRun) mask.fill(0, y * rw + start, y * rw + x);
        start = -1;
      }
    }
  }
  const longCol = rh * 0.9;
  for (let x = 0; x < rw; x++) {
    let start = -1;
    for (let y = 0; y <= rh; y++) {
      const on = y < rh && mask[y * rw + x] === 1;
      if (on && start < 0) start = y;
      if (!on && start >= 0) {
        if (y - start > longCol) for (let k = start; k < y; k++) mask[k * rw + x] = 0;
        start = -1;
      }
    }
  }
  let on = 0;
  for (let i = 0; i < mask.length; i++) on += mask[i]!;
  const ink = on / mask.length;
  // Calibrated on the corpus: blank spaces stay under ~0.1 %, signatures over ~1 %.
  const threshold = 0.004;
  const found = ink >= threshold;
  const margin = found ? Math.min(1, ink / (threshold * 4)) : Math.min(1, (threshold - ink) / threshold);
  return { found, confidence: Math.round((0.55 + 0.45 * margin) * 100) / 100, region, ink };
}
