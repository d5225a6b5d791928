import { clearRules, inkMask } from "./ink.js";
import type { Box, Raster } from "./raster.js";

export interface SealCandidate {
  /** Box in the raster's pixels (may run past its edge for a seal cut by the page border). */
  box: Box;
  /** 0..1: how seal-like the ring is (closed, thin, empty outside, with content inside). */
  score: number;
  colour: "red" | "dark";
  /** Share of the ring's circumference that is inked (of the part inside the image). */
  coverage: number;
  /**
   * False for a near miss: a round outline that fails a seal's other tests
   * (nothing inside it, or not a sharp line). Never a seal, but where one is
   * expected it makes "no seal" unsure.
   */
  seal: boolean;
}

export interface SealSearchOptions {
  /** "red" for colour scans, "dark" for grey and 1-bit ones; default: decided from the page's colours. */
  mode?: "red" | "dark";
  /** Also return the near misses (round outlines that are no seal). Default false. */
  rings?: boolean;
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
 * Red ink. `pale` also takes the washed-out pink of faint stamps, of
 * low-quality scans and of phone photos; it is only tried when the strict
 * mask finds no seal.
 */
function redMask(r: Raster, pale: boolean): Uint8Array {
  const { data, width, height } = r;
  const m = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const o = i * 3;
    const R = data[o]!;
    const G = data[o + 1]!;
    const B = data[o + 2]!;
    if (pale ? R > 110 && R - G > 22 && R - B > 10 && B - G < 40 : R > 90 && R - G > 40 && R - B > 40) m[i] = 1;
  }
  return m;
}

/**
 * Grey and 1-bit scans: every mark is ink, the seal's (mid grey, or black)
 * like the text's; `faint` also takes the light grey a pale red stamp turns
 * into, and is only tried when the first finds no seal. Table rules and underlines are taken out first: a long
 * straight run is never part of a round seal.
 */
function darkMask(r: Raster, faint: boolean): Uint8Array {
  const m = inkMask(r, faint ? { contrast: 0.1, maxLum: 235 } : { contrast: 0.2, maxLum: 215 });
  clearRules(m, r.width, r.height, Math.max(40, Math.round(Math.min(r.width, r.height) * 0.09)));
  return m;
}

/**
 * Centres of round outlines, by voting: each edge pixel of the mask votes
 * for the points one radius away along its normal, for every radius in range;
 * a ring's edges agree on its centre whatever covers part of it (a
 * signature, text, a table rule). Returns the strongest centres.
 */
function ringCentres(mask: Uint8Array, width: number, height: number, rMin: number, rMax: number, max: number): Array<{ x: number; y: number; votes: number }> {
  // A 3×3 sum of the mask gives its edges and their direction.
  const s = new Uint8Array(width * height);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      s[i] = mask[i - width - 1]! + mask[i - width]! + mask[i - width + 1]! + mask[i - 1]! + mask[i]! + mask[i + 1]! + mask[i + width - 1]! + mask[i + width]! + mask[i + width + 1]!;
    }
  }
  const acc = new Float32Array(width * height);
  for (let y = 2; y < height - 2; y++) {
    for (let x = 2; x < width - 2; x++) {
      const i = y * width + x;
      if (!mask[i] || s[i] === 9) continue;
      const gx = s[i - width + 1]! + 2 * s[i + 1]! + s[i + width + 1]! - s[i - width - 1]! - 2 * s[i - 1]! - s[i + width - 1]!;
      const gy = s[i + width - 1]! + 2 * s[i + width]! + s[i + width + 1]! - s[i - width - 1]! - 2 * s[i - width]! - s[i - width + 1]!;
      const g = Math.hypot(gx, gy);
      if (g < 4) continue;
      const nx = gx / g;
      const ny = gy / g;
      for (let r = rMin; r <= rMax; r++) {
        // Both ways: the ring's outer edge faces away from the centre, its inner edge towards it.
        let cx = Math.round(x + nx * r);
        let cy = Math.round(y + ny * r);
        if (cx >= 0 && cy >= 0 && cx < width && cy < height) acc[cy * width + cx]! += 1 / r;
        cx = Math.round(x - nx * r);
        cy = Math.round(y - ny * r);
        if (cx >= 0 && cy >= 0 && cx < width && cy < height) acc[cy * width + cx]! += 1 / r;
      }
    }
  }
  // Peaks of the votes summed over a small window, at least rMin apart.
  const k = 2;
  const win = new Float32Array(width * height);
  for (let y = k; y < height - k; y++) {
    for (let x = k; x < width - k; x++) {
      let t = 0;
      for (let dy = -k; dy <= k; dy++) for (let dx = -k; dx <= k; dx++) t += acc[(y + dy) * width + x + dx]!;
      win[y * width + x] = t;
    }
  }
  const order: number[] = [];
  for (let i = 0; i < win.length; i++) if (win[i]! > 1.5) order.push(i);
  order.sort((a, b) => win[b]! - win[a]!);
  const out: Array<{ x: number; y: number; votes: number }> = [];
  for (const i of order) {
    const x = i % width;
    const y = (i - x) / width;
    if (out.some((p) => Math.hypot(p.x - x, p.y - y) < rMin)) continue;
    out.push({ x, y, votes: win[i]! });
    if (out.length >= max) break;
  }
  return out;
}

const SECTORS = 72;

/** Share of the circumference (sampled in SECTORS directions, three rays each) inked within `w` of radius `r`. */
function sampledCoverage(mask: Uint8Array, width: number, height: number, cx: number, cy: number, r: number, w: number): number {
  let inImg = 0;
  let hits = 0;
  for (let s = 0; s < SECTORS; s++) {
    let any = false;
    let hit = false;
    for (let k = 0; k < 3 && !hit; k++) {
      const a = ((s + (k + 0.5) / 3) / SECTORS) * 2 * Math.PI;
      const ux = Math.cos(a);
      const uy = Math.sin(a);
      for (let d = r - w; d <= r + w; d++) {
        const x = Math.round(cx + ux * d);
        const y = Math.round(cy + uy * d);
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        any = true;
        if (mask[y * width + x]) {
          hit = true;
          break;
        }
      }
    }
    if (any) inImg++;
    if (hit) hits++;
  }
  return inImg >= SECTORS * 0.45 ? hits / inImg : 0;
}

/**
 * A voted centre is only near the true one (text and a signature vote too):
 * the radius is taken where the circumference is most inked, then the centre
 * moved, coarse to fine, to where the ring closes best.
 */
function refineCentre(mask: Uint8Array, width: number, height: number, c: { x: number; y: number }, rMin: number, rMax: number): { x: number; y: number; r: number } {
  const band = (r: number) => Math.max(1, Math.round(r * 0.04));
  let best = { x: c.x, y: c.y, r: rMin, v: -1 };
  for (let r = rMin; r <= rMax; r++) {
    const v = sampledCoverage(mask, width, height, c.x, c.y, r, band(r));
    if (v > best.v) best = { x: c.x, y: c.y, r, v };
  }
  for (const [reach, step] of [
    [Math.max(4, Math.round(best.r * 0.3)), 2],
    [2, 1],
  ] as const) {
    const at = { ...best };
    for (let dy = -reach; dy <= reach; dy += step) {
      for (let dx = -reach; dx <= reach; dx += step) {
        for (let dr = -2 * step; dr <= 2 * step; dr += step) {
          const r = at.r + dr;
          if (r < rMin || r > rMax) continue;
          const v = sampledCoverage(mask, width, height, at.x + dx, at.y + dy, r, band(r));
          if (v > best.v) best = { x: at.x + dx, y: at.y + dy, r, v };
        }
      }
    }
  }
  return best;
}

/**
 * The ring test around a centre: the radius whose thin band is inked round
 * most of the circumference; then that band denser than the paper just
 * outside it, and content inside (a seal's text and star; a hand-drawn circle
 * has none). Null when nothing there is a seal's outline.
 */
function ringAt(mask: Uint8Array, width: number, height: number, cx: number, cy: number, rMin: number, rMax: number, colour: "red" | "dark"): SealCandidate | null {
  const reach = Math.ceil(rMax * 1.35);
  const nr = reach + 1;
  const on = new Float64Array(nr);
  const area = new Float64Array(nr);
  const hit = new Uint8Array(nr * SECTORS);
  const seen = new Uint8Array(nr * SECTORS);
  for (let y = Math.max(0, Math.floor(cy - reach)); y <= Math.min(height - 1, Math.ceil(cy + reach)); y++) {
    for (let x = Math.max(0, Math.floor(cx - reach)); x <= Math.min(width - 1, Math.ceil(cx + reach)); x++) {
      const d = Math.round(Math.hypot(x - cx, y - cy));
      if (d > reach) continue;
      const sector = Math.floor(((Math.atan2(y - cy, x - cx) + Math.PI) / (2 * Math.PI)) * SECTORS) % SECTORS;
      area[d]!++;
      seen[d * SECTORS + sector] = 1;
      if (mask[y * width + x]) {
        on[d]!++;
        hit[d * SECTORS + sector] = 1;
      }
    }
  }
  let best: { r: number; w: number; coverage: number; value: number; inSectors: number } | null = null;
  for (let r = rMin; r <= rMax; r++) {
    const w = Math.max(1, Math.round(r * 0.05));
    let inSectors = 0;
    let hits = 0;
    for (let s = 0; s < SECTORS; s++) {
      let inImg = 0;
      let h = 0;
      for (let d = r - w; d <= r + w; d++) {
        inImg |= seen[d * SECTORS + s]!;
        h |= hit[d * SECTORS + s]!;
      }
      inSectors += inImg;
      hits += h;
    }
    if (inSectors < SECTORS * 0.45) continue;
    const coverage = hits / inSectors;
    let o = 0;
    let a = 0;
    for (let d = r - w; d <= r + w; d++) {
      o += on[d]!;
      a += area[d]!;
    }
    const value = coverage * (o / Math.max(1, a));
    if (!best || value > best.value) best = { r, w, coverage, value, inSectors };
  }
  if (!best) return null;
  const { r, w, coverage } = best;
  const density = (d0: number, d1: number) => {
    let o = 0;
    let a = 0;
    for (let d = Math.max(0, Math.round(d0)); d <= Math.min(reach, Math.round(d1)); d++) {
      o += on[d]!;
      a += area[d]!;
    }
    return a ? o / a : 0;
  };
  const ring = density(r - w, r + w);
  const outside = density(r + w + 2, r * 1.3);
  const inside = density(0, r - w - 2);
  // Just outside the ring: a seal's outline is a sharp line, an ellipse or a blot a circle was fitted to is not.
  const nearOut = density(r + w + 1, r + 4 * w + 1);
  // The ring's inner neighbourhood: a seal's text runs just inside the ring, a drawn circle's inside is empty.
  const content = density(r * 0.2, r * 0.75);
  // The line's width: the radii about the ring inked at least half as densely as its densest.
  const at = (d: number) => (d >= 0 && d <= reach && area[d]! ? on[d]! / area[d]! : 0);
  let peakR = r;
  for (let d = r - w; d <= r + w; d++) if (at(d) > at(peakR)) peakR = d;
  let lo = peakR;
  let hi = peakR;
  while (lo > 0 && at(lo - 1) >= at(peakR) * 0.5) lo--;
  while (hi < reach && at(hi + 1) >= at(peakR) * 0.5) hi++;
  const thickness = (hi - lo + 1) / r;
  if (process.env.DEBUG_SEAL) console.log(JSON.stringify({ cx, cy, r, coverage, ring, thickness, content, inside, outside, nearOut }));
  if (coverage < 0.7 || ring < 0.15) return null;
  // A red seal has red text and mostly a star inside; a hand-drawn circle round black text has neither.
  // On a grey page, where every mark is ink, the outline must also be closed and thin as a seal's
  // (a logo's ring is a heavy line, a drawn ellipse round text is not a circle).
  const filled = colour === "red" ? content >= 0.035 && inside >= 0.045 : content >= 0.04 && coverage >= 0.8 && thickness <= 0.16;
  const sharp = ring >= 0.18 && outside <= ring * 0.45 && nearOut <= ring * 0.4 && inside <= ring * 0.75;
  const score = Math.min(1, (coverage - 0.7) / 0.25) * 0.5 + Math.min(1, ring / 0.5) * 0.25 + Math.min(1, 1 - outside / ring) * 0.25;
  return { box: { x0: cx - r, y0: cy - r, x1: cx + r, y1: cy + r }, score: Math.round(score * 100) / 100, colour, coverage: Math.round(coverage * 100) / 100, seal: filled && sharp };
}

/**
 * Round seals on a page, best first. Expects a raster of ~1000 px long side
 * (searchSeals scales to it). A seal is a few cm across: not a letter, not
 * an "o" of a figure.
 */
export function findSeals(r: Raster, opts: SealSearchOptions = {}): SealCandidate[] {
  const mode = opts.mode ?? (isGreyPage(r) ? "dark" : "red");
  const masks = mode === "red" ? [() => redMask(r, false), () => redMask(r, true)] : [() => darkMask(r, false), () => darkMask(r, true)];
  const rings: SealCandidate[] = [];
  for (const make of masks) {
    // The outline is sought at half the size (a 2×2 cell is inked when any of its pixels is): four times less work, rings kept whole.
    const { mask, width, height } = halve(make(), r.width, r.height);
    const short = Math.min(width, height);
    const rMin = Math.max(6, Math.round(short * (mode === "dark" ? 0.05 : 0.03)));
    // On grey pages every mark votes: only a seal's size on a page is tried there. Red marks are few, and
    // a red seal may fill a close-up photo.
    const rMax = Math.max(rMin + 2, Math.round(short * (mode === "dark" ? 0.16 : 0.5)));
    const found: SealCandidate[] = [];
    for (const voted of ringCentres(mask, width, height, rMin, rMax, 12)) {
      const c = refineCentre(mask, width, height, voted, rMin, rMax);
      const s = ringAt(mask, width, height, c.x, c.y, Math.max(rMin, c.r - 3), Math.min(rMax, c.r + 3), mode);
      if (s && !found.some((f) => f.seal === s.seal && overlaps(f.box, s.box))) found.push(s);
    }
    const kx = r.width / width;
    const ky = r.height / height;
    const scaled = found.map((f) => ({ ...f, box: { x0: f.box.x0 * kx, y0: f.box.y0 * ky, x1: f.box.x1 * kx, y1: f.box.y1 * ky } }));
    const seals = scaled.filter((f) => f.seal).sort((a, b) => b.score - a.score);
    rings.push(...scaled.filter((f) => !f.seal));
    if (seals.length) return opts.rings ? [...seals, ...rings] : seals;
  }
  if (!opts.rings) return [];
  // No seal at any level: a trace of a ring in ink fainter still (a washed-out stamp) is only a near miss,
  // never a seal, but it keeps "no seal" from being sure.
  if (!rings.length) {
    const { mask, width, height } = halve(inkMask(r, { contrast: 0.05, maxLum: 250 }), r.width, r.height);
    const short = Math.min(width, height);
    const rMin = Math.max(6, Math.round(short * 0.05));
    const rMax = Math.round(short * 0.16);
    for (const voted of ringCentres(mask, width, height, rMin, rMax, 12)) {
      const c = refineCentre(mask, width, height, voted, rMin, rMax);
      const s = ringAt(mask, width, height, c.x, c.y, Math.max(rMin, c.r - 3), Math.min(rMax, c.r + 3), mode);
      if (s && s.seal) rings.push({ ...s, seal: false, box: { x0: s.box.x0 * 2, y0: s.box.y0 * 2, x1: s.box.x1 * 2, y1: s.box.y1 * 2 } });
    }
  }
  return rings.sort((a, b) => b.score - a.score);
}

function halve(m: Uint8Array, width: number, height: number): { mask: Uint8Array; width: number; height: number } {
  const w = width >> 1;
  const h = height >> 1;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const a = 2 * y * width;
    const b = a + width;
    for (let x = 0; x < w; x++) out[y * w + x] = m[a + 2 * x]! | m[a + 2 * x + 1]! | m[b + 2 * x]! | m[b + 2 * x + 1]!;
  }
  return { mask: out, width: w, height: h };
}

function overlaps(a: Box, b: Box): boolean {
  const ix = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const iy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return ix > 0 && iy > 0 && ix * iy > 0.5 * Math.min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0));
}
