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
  /** Long axis over short: 1 for a round seal, about 1.3–1.7 for an oval one. */
  aspect: number;
  /** How well the outline fits the ink: its coverage times how densely its thin band is inked. */
  fit: number;
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

/**
 * The outline sought: a circle (q 1), or an ellipse q times as long along the
 * direction `theta` as across it. Distances are taken after that stretch is
 * undone, so one radius `r` (the short half-axis) and one band test serve both.
 */
interface Shape {
  q: number;
  theta: number;
}
const ROUND: Shape = { q: 1, theta: 0 };

/** A point `d` from the centre in direction `a`, in the shape's unstretched space, back on the page. */
function along(cx: number, cy: number, s: Shape, a: number, d: number): [number, number] {
  const u = Math.cos(a) * d * s.q;
  const v = Math.sin(a) * d;
  const c = Math.cos(s.theta);
  const n = Math.sin(s.theta);
  return [cx + u * c - v * n, cy + u * n + v * c];
}

/** The page's bounding box of the shape of short half-axis r. */
function shapeBox(cx: number, cy: number, r: number, s: Shape): Box {
  const a = r * s.q;
  const c = Math.cos(s.theta);
  const n = Math.sin(s.theta);
  const hx = Math.sqrt(a * a * c * c + r * r * n * n);
  const hy = Math.sqrt(a * a * n * n + r * r * c * c);
  return { x0: cx - hx, y0: cy - hy, x1: cx + hx, y1: cy + hy };
}

/** Share of the circumference (sampled in SECTORS directions, three rays each) inked within `w` of radius `r`. */
function sampledCoverage(mask: Uint8Array, width: number, height: number, cx: number, cy: number, r: number, w: number, shape: Shape = ROUND): number {
  let inImg = 0;
  let hits = 0;
  for (let s = 0; s < SECTORS; s++) {
    let any = false;
    let hit = false;
    for (let k = 0; k < 3 && !hit; k++) {
      const a = ((s + (k + 0.5) / 3) / SECTORS) * 2 * Math.PI;
      for (let d = r - w; d <= r + w; d++) {
        const [px, py] = along(cx, cy, shape, a, d);
        const x = Math.round(px);
        const y = Math.round(py);
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
function refineCentre(mask: Uint8Array, width: number, height: number, c: { x: number; y: number }, rMin: number, rMax: number, shape: Shape = ROUND): { x: number; y: number; r: number; shape: Shape } {
  const band = (r: number) => Math.max(1, Math.round(r * 0.04));
  let best = { x: c.x, y: c.y, r: rMin, v: -1, shape };
  for (let r = rMin; r <= rMax; r++) {
    const v = sampledCoverage(mask, width, height, c.x, c.y, r, band(r), shape);
    if (v > best.v) best = { x: c.x, y: c.y, r, v, shape };
  }
  // A large ring (a close-up's seal) is searched in steps that grow with it, or the search would take seconds.
  const coarse = Math.max(2, Math.round(best.r * 0.04));
  const stages: Array<readonly [number, number]> = [[Math.max(4, Math.round(best.r * 0.3)), coarse]];
  if (coarse > 2) stages.push([coarse, 2]);
  stages.push([2, 1]);
  for (const [reach, step] of stages) {
    const at = { ...best };
    for (let dy = -reach; dy <= reach; dy += step) {
      for (let dx = -reach; dx <= reach; dx += step) {
        for (let dr = -2 * step; dr <= 2 * step; dr += step) {
          const r = at.r + dr;
          if (r < rMin || r > rMax) continue;
          const v = sampledCoverage(mask, width, height, at.x + dx, at.y + dy, r, band(r), at.shape);
          if (v > best.v) best = { x: at.x + dx, y: at.y + dy, r, v, shape: at.shape };
        }
      }
    }
  }
  // An oval was looked for at a few set proportions and directions: its own are found near them
  // (only for an outline closed enough to be worth it), then its centre again.
  if (shape.q > 1 && best.v >= 0.5) {
    const at = { ...best };
    for (let dq = -0.15; dq <= 0.151; dq += 0.075) {
      for (let dt = -10; dt <= 10; dt += 5) {
        const s: Shape = { q: Math.max(1.1, at.shape.q + dq), theta: at.shape.theta + (dt * Math.PI) / 180 };
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            for (let dr = -1; dr <= 1; dr++) {
              const r = at.r + dr;
              if (r < rMin || r > rMax) continue;
              const v = sampledCoverage(mask, width, height, at.x + dx, at.y + dy, r, band(r), s);
              if (v > best.v) best = { x: at.x + dx, y: at.y + dy, r, v, shape: s };
            }
          }
        }
      }
    }
    const again = { ...best };
    for (let dy = -2; dy <= 2; dy++) {
      for (let dx = -2; dx <= 2; dx++) {
        for (let dr = -2; dr <= 2; dr++) {
          const r = again.r + dr;
          if (r < rMin || r > rMax) continue;
          const v = sampledCoverage(mask, width, height, again.x + dx, again.y + dy, r, band(r), again.shape);
          if (v > best.v) best = { x: again.x + dx, y: again.y + dy, r, v, shape: again.shape };
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
function ringAt(mask: Uint8Array, width: number, height: number, cx: number, cy: number, rMin: number, rMax: number, colour: "red" | "dark", shape: Shape = ROUND): SealCandidate | null {
  const reach = Math.ceil(rMax * 1.35);
  const span = Math.ceil(reach * shape.q);
  const cos = Math.cos(shape.theta);
  const sin = Math.sin(shape.theta);
  const nr = reach + 1;
  const on = new Float64Array(nr);
  const area = new Float64Array(nr);
  const hit = new Uint8Array(nr * SECTORS);
  const seen = new Uint8Array(nr * SECTORS);
  // An oval's line, measured across its short axis only: there the unstretched distance is the page's.
  const onAcross = new Float64Array(nr);
  const areaAcross = new Float64Array(nr);
  for (let y = Math.max(0, Math.floor(cy - span)); y <= Math.min(height - 1, Math.ceil(cy + span)); y++) {
    for (let x = Math.max(0, Math.floor(cx - span)); x <= Math.min(width - 1, Math.ceil(cx + span)); x++) {
      // In the shape's unstretched space, where an oval's outline is a circle.
      const u = ((x - cx) * cos + (y - cy) * sin) / shape.q;
      const v = -(x - cx) * sin + (y - cy) * cos;
      const d = Math.round(Math.hypot(u, v));
      if (d > reach) continue;
      const sector = Math.floor(((Math.atan2(v, u) + Math.PI) / (2 * Math.PI)) * SECTORS) % SECTORS;
      area[d]!++;
      seen[d * SECTORS + sector] = 1;
      const across = Math.abs(v) > Math.abs(u);
      if (across) areaAcross[d]!++;
      if (mask[y * width + x]) {
        on[d]!++;
        hit[d * SECTORS + sector] = 1;
        if (across) onAcross[d]!++;
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
  const [inked, of] = shape.q === 1 ? [on, area] : [onAcross, areaAcross];
  const at = (d: number) => (d >= 0 && d <= reach && of[d]! ? inked[d]! / of[d]! : 0);
  let peakR = r;
  for (let d = r - w; d <= r + w; d++) if (at(d) > at(peakR)) peakR = d;
  let lo = peakR;
  let hi = peakR;
  while (lo > 0 && at(lo - 1) >= at(peakR) * 0.5) lo--;
  while (hi < reach && at(hi + 1) >= at(peakR) * 0.5) hi++;
  const thickness = (hi - lo + 1) / r;
  // How much of the way round there is ink just inside the ring: a seal's name runs along it.
  let arc = 0;
  for (let sct = 0; sct < SECTORS; sct++) {
    let h = 0;
    for (let d = Math.round(r * 0.55); d <= Math.round(r * 0.88); d++) h |= hit[d * SECTORS + sct]!;
    arc += h;
  }
  arc /= SECTORS;
  if (process.env.DEBUG_SEAL) console.log(JSON.stringify({ cx, cy, r, q: shape.q, theta: shape.theta, coverage, ring, thickness, content, inside, outside, nearOut, arc }));
  if (coverage < 0.7 || ring < 0.15) return null;
  // A red seal has red text and mostly a star inside; a hand-drawn circle round black text has neither.
  // On a grey page, where every mark is ink, the outline must also be closed and thin as a seal's
  // (a logo's ring is a heavy line, a drawn ellipse round text is not a circle).
  // (An oval's line is measured across its short axis, where the text beside it crowds the profile more.)
  // An oval also in red: a red glyph or graphic of a poster is round-ish too, but a heavy line.
  // (Red ink's pale halo, blurred, is part of its mask: a red line measures wider.)
  const thin = shape.q === 1 ? colour === "red" || thickness <= 0.16 : thickness <= (colour === "red" ? 0.24 : 0.18);
  const filled = (colour === "red" ? content >= 0.035 && inside >= 0.045 : content >= 0.04 && coverage >= 0.8) && thin;
  const sharp = ring >= 0.18 && outside <= ring * 0.45 && nearOut <= ring * 0.4 && inside <= ring * 0.75;
  // An oval drawn round a word (a marked answer) holds it in the middle; an oval seal's name follows its outline.
  const named = shape.q === 1 || arc >= 0.5;
  const score = Math.min(1, (coverage - 0.7) / 0.25) * 0.5 + Math.min(1, ring / 0.5) * 0.25 + Math.min(1, 1 - outside / ring) * 0.25;
  return { box: shapeBox(cx, cy, r, shape), score: Math.round(score * 100) / 100, colour, coverage: Math.round(coverage * 100) / 100, aspect: Math.round(shape.q * 100) / 100, fit: Math.round(coverage * ring * 1000) / 1000, seal: filled && sharp && named };
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
    // No closed round seal at this level: an oval one (some units' and invoice seals), lying level or upright.
    // Part of an oval's outline can pass for a circle: the oval, closed better, takes its place.
    if (!found.some((f) => f.seal && f.coverage >= 0.9)) {
      // An oval is sought at a seal's size on a page only (30 mm and more across, on paper up to A3):
      // a close-up filling the frame is left to the round test.
      const oMin = Math.max(rMin, Math.round(short * 0.05));
      for (const o of ovalSeals(mask, width, height, oMin, Math.max(oMin + 2, Math.min(rMax, Math.round(short * 0.2))), mode)) {
        const under = found.filter((f) => f.seal && overlaps(f.box, o.box));
        if (under.some((f) => f.coverage >= o.coverage)) continue;
        for (const f of under) found.splice(found.indexOf(f), 1);
        found.push(o);
      }
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

/** Proportions an oval is first looked for at (long axis over short); the fit then finds its own between them. */
const OVAL_ASPECTS = [1.3, 1.55];

/**
 * Oval seals: the mask squeezed along the oval's long axis turns its outline
 * into a circle, whose centre the votes find; the fit and the ring test are
 * then made on the mask itself with the oval's shape. Only seals are
 * returned: a near miss of an oval is no evidence a round test did not give.
 */
function ovalSeals(mask: Uint8Array, width: number, height: number, rMin: number, rMax: number, colour: "red" | "dark"): SealCandidate[] {
  const out: SealCandidate[] = [];
  for (const q of OVAL_ASPECTS) {
    for (const upright of [false, true]) {
      const squeezed = squeeze(mask, width, height, q, upright);
      for (const voted of ringCentres(squeezed.mask, squeezed.width, squeezed.height, rMin, rMax, 8)) {
        const at = upright ? { x: voted.x, y: Math.round(voted.y * q + q / 2) } : { x: Math.round(voted.x * q + q / 2), y: voted.y };
        const c = refineCentre(mask, width, height, at, rMin, rMax, { q, theta: upright ? Math.PI / 2 : 0 });
        const s = ringAt(mask, width, height, c.x, c.y, Math.max(rMin, c.r - 3), Math.min(rMax, c.r + 3), colour, c.shape);
        if (!s) continue;
        // Of the fits to one outline (each proportion and direction finds it) the best closed is judged,
        // so a skewed fit that takes in a circled word's ends cannot pass for a seal's name.
        const same = out.findIndex((f) => overlaps(f.box, s.box));
        if (same < 0) out.push(s);
        else if (s.fit > out[same]!.fit) out[same] = s;
      }
    }
  }
  return out.filter((f) => f.seal);
}

/** The mask shrunk by `q` along x (or y when `upright`), a cell inked when any pixel it covers is. */
function squeeze(m: Uint8Array, width: number, height: number, q: number, upright: boolean): { mask: Uint8Array; width: number; height: number } {
  const w = upright ? width : Math.floor(width / q);
  const h = upright ? Math.floor(height / q) : height;
  const out = new Uint8Array(w * h);
  for (let y = 0; y < height; y++) {
    const ty = upright ? Math.min(h - 1, Math.floor(y / q)) : y;
    for (let x = 0; x < width; x++) {
      if (!m[y * width + x]) continue;
      const tx = upright ? x : Math.min(w - 1, Math.floor(x / q));
      out[ty * w + tx] = 1;
    }
  }
  return { mask: out, width: w, height: h };
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
