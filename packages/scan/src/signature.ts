import { blobs } from "./blobs.js";
import { clearRules, inkMask, luminance, paperLevel } from "./ink.js";
import type { Box, Raster } from "./raster.js";

export interface SignatureEvidence {
  found: boolean;
  confidence: number;
  /** Where the signature was looked for, in raster pixels. */
  region: Box;
  /** Share of the region (less what a seal covers) inked with writing. */
  ink: number;
  /** Share of the region hidden under a seal of the same ink (grey and 1-bit scans), where writing cannot be told apart. */
  hidden: number;
  /** Share of the region that is not paper (a shadow, a black patch): nothing can be read there. */
  dark: number;
}

export interface SignatureOptions {
  /** A grey or 1-bit scan: no colour tells the seal's ink from the pen's. */
  grey?: boolean;
  /** Seals on the page (raster pixels): on a grey page their ink is no writing. */
  seals?: Box[];
}

/**
 * Ink shares of a blank space and of a signed one, measured on the corpora's
 * grey, colour and photographed pages: blank stays under ~0.05 %, a name
 * written beside the label over ~0.5 %. The line between is their geometric mean.
 */
const BLANK = 0.0005;
const SIGNED = 0.006;
const MIDDLE = Math.sqrt(BLANK * SIGNED);

/**
 * Handwriting beside 申报单位负责人（签字）：: ink in the space right of the
 * label, taken against the paper around it (a phone photo's shading, a grey
 * scan's toned paper), less red ink (a seal over the name), less the long
 * straight runs of table rules (also skewed a little, as on a photo), less
 * specks of scanner noise. On a grey page a seal's ring and text are ink like
 * the pen's: the seal's disc is left out, and the more of the space it hides
 * the less sure a "not found" is.
 */
export function findSignature(r: Raster, label: Box, lineHeight: number, opts: SignatureOptions = {}): SignatureEvidence {
  const { width, height } = r;
  const lh = Math.max(4, lineHeight);
  const region: Box = {
    x0: Math.min(width - 1, Math.round(label.x1 + lh * 0.2)),
    y0: Math.max(0, Math.round(label.y0 - lh * 1.0)),
    x1: Math.min(width, Math.round(label.x1 + Math.max(lh * 12, width * 0.35))),
    y1: Math.min(height, Math.round(label.y1 + lh * 1.6)),
  };
  const rw = region.x1 - region.x0;
  const rh = region.y1 - region.y0;
  if (rw < 4 || rh < 4) return { found: false, confidence: 0, region, ink: 0, hidden: 0, dark: 0 };
  // The paper's brightness is taken from around the region too.
  const pad = Math.round(lh * 2);
  const outer: Box = { x0: Math.max(0, region.x0 - pad), y0: Math.max(0, region.y0 - pad), x1: Math.min(width, region.x1 + pad), y1: Math.min(height, region.y1 + pad) };
  const ow = outer.x1 - outer.x0;
  const oh = outer.y1 - outer.y0;
  const crop = Buffer.alloc(ow * oh * 3);
  for (let y = 0; y < oh; y++) r.data.copy(crop, y * ow * 3, ((outer.y0 + y) * width + outer.x0) * 3, ((outer.y0 + y) * width + outer.x1) * 3);
  const m = inkMask({ data: crop, width: ow, height: oh }, { window: Math.round(lh * 1.5), contrast: opts.grey ? 0.45 : 0.3 });
  const darkPx = notPaper(r, region);
  let hiddenPx = 0;
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      const i = y * ow + x;
      const o = i * 3;
      // Red is the seal's, never the pen's.
      if (crop[o]! - Math.max(crop[o + 1]!, crop[o + 2]!) > 30) m[i] = 0;
      const inRegion = outer.y0 + y >= region.y0 && outer.y0 + y < region.y1 && outer.x0 + x >= region.x0 && outer.x0 + x < region.x1;
      if (opts.grey && opts.seals?.some((s) => inDisc(s, outer.x0 + x, outer.y0 + y))) {
        m[i] = 0;
        if (inRegion) hiddenPx++;
      }
    }
  }
  clearRules(m, ow, oh, Math.round(Math.max(lh * 6, rw * 0.5)), { horizontal: true, vertical: false });
  clearRules(m, ow, oh, Math.round(Math.max(lh * 2.5, rh * 0.9)), { horizontal: false, vertical: true });
  // Specks of noise are no strokes.
  const minArea = Math.max(4, Math.round(lh * lh * 0.02));
  let on = 0;
  for (const b of blobs(m, ow, oh, { diagonal: true })) {
    if (b.area < minArea) continue;
    // Only what lies in the region counts (a blob is counted by its share inside).
    const ix = Math.min(b.x1 + 1, region.x1 - outer.x0) - Math.max(b.x0, region.x0 - outer.x0);
    const iy = Math.min(b.y1 + 1, region.y1 - outer.y0) - Math.max(b.y0, region.y0 - outer.y0);
    if (ix <= 0 || iy <= 0) continue;
    on += (b.area * (ix * iy)) / ((b.x1 - b.x0 + 1) * (b.y1 - b.y0 + 1));
  }
  const visible = rw * rh - hiddenPx;
  const hidden = hiddenPx / (rw * rh);
  const ink = visible > 0 ? on / visible : 0;
  const found = ink >= MIDDLE;
  // Sure in proportion to how far the ink lies from the middle, on a log scale: blank and signed differ tenfold.
  const mid = Math.log(MIDDLE);
  const span = Math.log(SIGNED) - mid;
  const margin = Math.min(1, Math.abs(Math.log(Math.max(ink, 1e-5)) - mid) / span);
  let confidence = 0.5 + 0.5 * margin;
  // A name may lie under the seal where a grey page cannot show it, or in a shadow.
  const dark = darkPx / (rw * rh);
  if (!found) confidence *= Math.max(0, 1 - hidden * 1.5 - dark * 2);
  return { found, confidence: Math.round(confidence * 100) / 100, region, ink, hidden, dark };
}

/** Pixels of the box far darker than the page's paper (a shadow, a black patch of a bad 1-bit scan), in blocks of 4×4. */
function notPaper(r: Raster, box: Box): number {
  const lum = luminance(r);
  const paper = paperLevel(lum);
  let n = 0;
  for (let y = box.y0; y + 4 <= box.y1; y += 4) {
    for (let x = box.x0; x + 4 <= box.x1; x += 4) {
      let t = 0;
      for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) t += lum[(y + dy) * r.width + x + dx]!;
      if (t / 16 < paper * 0.55) n += 16;
    }
  }
  return n;
}

function inDisc(b: Box, x: number, y: number): boolean {
  const cx = (b.x0 + b.x1) / 2;
  const cy = (b.y0 + b.y1) / 2;
  const rx = (b.x1 - b.x0) / 2;
  const ry = (b.y1 - b.y0) / 2;
  return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.1;
}
