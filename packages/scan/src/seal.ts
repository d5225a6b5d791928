import type { Box, Raster } from "./raster.js";

export interface SealCandidate {
  /** Box in the raster's pixels (may run past its edge for a seal cut by the page border). */
  box: Box;
  /** 0..1 */
  score: number;
  colour: "red" | "dark";
}

export interface SealSearchOptions {
  /** "red" for colour scans, "dark" for grey ones; default: decided from the page's colours. */
  mode?: "red" | "dark";
}

/** True when the page has next to no coloured pixels (a grey or black-and-white scan). */
export function isGreyPage(r: Raster): boolean {
  const { data } = r;
  const n = r.width * r.height;
  let coloured = 0;
  for (let i = 0; i < n; i += 3) {
    const o = i * 3;
    const a = data[o]!;
    const b = data[o + 1]!;
    const c = data[o + 2]!;
    if (Math.max(a, b, c) - Math.min(a, b, c) > 50) coloured++;
  }
  return coloured / (n / 3) < 0.0005;
}

/**
 * Red ink. `pale` also takes the washed-out pink of faint stamps and of
 * low-quality scans; it is only tried when the strict mask finds no seal.
 */
function redMask(r: Raster, pale: boolean): Uint8Array {
  const { data, width, height } = r;
  const m = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const o = i * 3;
    const R = data[o]!;
    const G = data[o + 1]!;
    const B = data[o + 2]!;
    if (pale ? R > 120 && R - G > 26 && R - B > 12 && B - G < 35 : R > 90 && R - G > 40 && R - B > 40) m[i] = 1;
  }
  return m;
}

/**
 * Grey scans: a black stamp is dark; a red stamp scanned grey is mid-grey,
 * lighter than black print, so it is sought apart from the text (band mask).
 */
const GREY_BANDS: Array<[number, number]> = [
  [0, 110],
  [95, 205],
];

/** Dark pixels less the long straight runs of table rules and underlines. */
function darkMask(r: Raster, band: [number, number]): Uint8Array {
  const { data, width, height } = r;
  const m = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const o = i * 3;
    const lum = data[o]! * 0.3 + data[o + 1]! * 0.59 + data[o + 2]! * 0.11;
    if (lum >= band[0] && lum < band[1]) m[i] = 1;
  }
  const maxRun = Math.max(40, Math.round(Math.min(width, height) * 0.09));
  const clear: number[] = [];
  for (let y = 0; y < height; y++) {
    let start = -1;
    for (let x = 0; x <= width; x++) {
      const on = x < width && m[y * width + x] === 1;
      if (on && start < 0) start = x;
      if (!on && start >= 0) {
        if (x - start > maxRun) for (let k = start; k < x; k++) clear.push(y * width + k);
        start = -1;
      }
    }
  }
  for (let x = 0; x < width; x++) {
    let start = -1;
    for (let y = 0; y <= height; y++) {
      const on = y < height && m[y * width + x] === 1;
      if (on && start < 0) start = y;
      if (!on && start >= 0) {
        if (y - start > maxRun) for (let k = start; k < y; k++) clear.push(k * width + x);
        start = -1;
      }
    }
  }
  for (const i of clear) m[i] = 0;
  return m;
}

interface Component {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  pixels: number;
}

/** Components of the mask on a coarse grid, cells joined across one-cell gaps (seal rings are often broken). */
function components(mask: Uint8Array, width: number, height: number, cell: number): Component[] {
  const gw = Math.ceil(width / cell);
  const gh = Math.ceil(height / cell);
  const count = new Uint16Array(gw * gh);
  for (let y = 0; y < height; y++) {
    const gy = Math.floor(y / cell) * gw;
    for (let x = 0; x < width; x++) if (mask[y * width + x]) count[gy + Math.floor(x / cell)]!++;
  }
  const on = new Uint8Array(gw * gh);
  for (let i = 0; i < on.length; i++) if (count[i]! >= 2) on[i] = 1;
  const label = new Int32Array(gw * gh).fill(-1);
  const out: Component[] = [];
  const stack: number[] = [];
  for (let s = 0; s < on.length; s++) {
    if (!on[s] || label[s]! >= 0) continue;
    const c: Component = { x0: Infinity, y0: Infinity, x1: -1, y1: -1, pixels: 0 };
    label[s] = out.length;
    stack.push(s);
    while (stack.length) {
      const i = stack.pop()!;
      const gx = i % gw;
      const gy = (i - gx) / gw;
      c.x0 = Math.min(c.x0, gx);
      c.y0 = Math.min(c.y0, gy);
      c.x1 = Math.max(c.x1, gx);
      c.y1 = Math.max(c.y1, gy);
      c.pixels += count[i]!;
      for (let dy = -2; dy <= 2; dy++) {
        const ny = gy + dy;
        if (ny < 0 || ny >= gh) continue;
        for (let dx = -2; dx <= 2; dx++) {
          const nx = gx + dx;
          if (nx < 0 || nx >= gw) continue;
          const j = ny * gw + nx;
          if (on[j] && label[j]! < 0) {
            label[j] = out.length;
            stack.push(j);
          }
        }
      }
    }
    out.push({ x0: c.x0 * cell, y0: c.y0 * cell, x1: Math.min(width, (c.x1 + 1) * cell), y1: Math.min(height, (c.y1 + 1) * cell), pixels: c.pixels });
  }
  return out;
}

const SECTORS = 36;

/**
 * The ring test: a seal is a round outline (most of its circumference inked,
 * a denser band than its inside) around some content. Hand-drawn ellipses have
 * no content inside; filled discs and red text blocks have no distinct ring.
 */
function ringScore(mask: Uint8Array, r: Raster, c: Component, colour: "red" | "dark"): SealCandidate | null {
  const { width, height } = r;
  const w = c.x1 - c.x0;
  const h = c.y1 - c.y0;
  const edge = 3;
  const cutL = c.x0 <= edge;
  const cutR = c.x1 >= width - edge;
  const cutT = c.y0 <= edge;
  const cutB = c.y1 >= height - edge;
  const short = Math.min(width, height);
  let d: number;
  let cx: number;
  let cy: number;
  const cutX = cutL !== cutR;
  const cutY = cutT !== cutB;
  if (cutX && cutY) return null;
  if (cutX) {
    d = h;
    cx = cutL ? c.x1 - d / 2 : c.x0 + d / 2;
    cy = (c.y0 + c.y1) / 2;
    if (w < d * 0.5 || w > d * 1.1) return null;
  } else if (cutY) {
    d = w;
    cy = cutT ? c.y1 - d / 2 : c.y0 + d / 2;
    cx = (c.x0 + c.x1) / 2;
    if (h < d * 0.5 || h > d * 1.1) return null;
  } else {
    d = (w + h) / 2;
    if (w / h < 0.78 || w / h > 1.28) return null;
    cx = (c.x0 + c.x1) / 2;
    cy = (c.y0 + c.y1) / 2;
  }
  // A seal is a few cm across: not a letter, nor (grey pages) an "o" of a figure.
  if (d < Math.max(20, short * (colour === "dark" ? 0.08 : 0.05))) return null;
  const R = d / 2;
  const BIN = 0.05;
  const NB = 24; // radii 0..1.2 R
  const binOn = new Float64Array(NB);
  const binArea = new Float64Array(NB);
  const binSectors: Uint8Array[] = Array.from({ length: NB }, () => new Uint8Array(SECTORS));
  const binInImage: Uint8Array[] = Array.from({ length: NB }, () => new Uint8Array(SECTORS));
  const x0 = Math.max(0, Math.floor(cx - R * 1.2));
  const x1 = Math.min(width - 1, Math.ceil(cx + R * 1.2));
  const y0 = Math.max(0, Math.floor(cy - R * 1.2));
  const y1 = Math.min(height - 1, Math.ceil(cy + R * 1.2));
  let total = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const b = Math.floor(Math.hypot(x - cx, y - cy) / R / BIN);
      if (b >= NB) continue;
      const on = mask[y * width + x] === 1;
      const sector = Math.floor(((Math.atan2(y - cy, x - cx) + Math.PI) / (2 * Math.PI)) * SECTORS) % SECTORS;
      binArea[b]!++;
      binInImage[b]![sector] = 1;
      if (on) {
        binOn[b]!++;
        binSectors[b]![sector] = 1;
        total++;
      }
    }
  }
  if (total < 30) return null;
  // The ring: the densest band of three bins between 0.7 R and 1.15 R.
  let peak = -1;
  let peakDensity = 0;
  for (let b = 14; b + 2 < NB - 1; b++) {
    const area = binArea[b]! + binArea[b + 1]! + binArea[b + 2]!;
    if (area === 0) continue;
    const dens = (binOn[b]! + binOn[b + 1]! + binOn[b + 2]!) / area;
    if (dens > peakDensity) {
      peakDensity = dens;
      peak = b;
    }
  }
  if (peak < 0) return null;
  let inSectors = 0;
  let hitSectors = 0;
  for (let s = 0; s < SECTORS; s++) {
    const inImg = binInImage[peak]![s]! | binInImage[peak + 1]![s]! | binInImage[peak + 2]![s]!;
    const hit = binSectors[peak]![s]! | binSectors[peak + 1]![s]! | binSectors[peak + 2]![s]!;
    inSectors += inImg;
    hitSectors += hit;
  }
  let innerOn = 0;
  let innerArea = 0;
  for (let b = 0; b < peak - 1; b++) {
    innerOn += binOn[b]!;
    innerArea += binArea[b]!;
  }
  const ringOn = binOn[peak]! + binOn[peak + 1]! + binOn[peak + 2]!;
  const coverage = hitSectors / Math.max(1, inSectors);
  const innerDensity = innerArea ? innerOn / innerArea : 0;
  const innerShare = innerOn / total;
  const ringShare = ringOn / total;

  if (coverage < 0.6 || ringShare < 0.15) return null;
  if (peakDensity < 0.12 || innerDensity > 0.5 || innerDensity > peakDensity * 0.8) return null;
  if (colour === "red" && innerShare < 0.04) return null;
  const score = Math.min(1, 0.5 + 0.5 * ((coverage - 0.6) / 0.4)) * Math.min(1, peakDensity / 0.3);
  return { box: { x0: cx - R, y0: cy - R, x1: cx + R, y1: cy + R }, score, colour };
}

/**
 * Round seals on a page, best first. Expects a shrunk raster (~1000 px long
 * side): the work is a few passes over its pixels (tens of ms).
 */
export function findSeals(r: Raster, opts: SealSearchOptions = {}): SealCandidate[] {
  const mode = opts.mode ?? (isGreyPage(r) ? "dark" : "red");
  const masks = mode === "red" ? [() => redMask(r, false), () => redMask(r, true)] : GREY_BANDS.map((b) => () => darkMask(r, b));
  const cell = Math.max(2, Math.round(Math.min(r.width, r.height) / 300));
  for (const make of masks) {
    const mask = make();
    const found: SealCandidate[] = [];
    for (const c of components(mask, r.width, r.height, cell)) {
      const s = ringScore(mask, r, c, mode);
      if (s) found.push(s);
    }
    if (found.length) return found.sort((a, b) => b.score - a.score);
  }
  return [];
}
