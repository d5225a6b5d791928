import sharp from "sharp";
import { shrinkRaster, type Raster } from "./raster.js";

interface Point {
  x: number;
  y: number;
}

/** Side of the copy the page's outline is searched on. */
const FIND_SIDE = 800;

/**
 * A phone photo of a page made to look like a scan: the sheet's four edges
 * found against the darker background, the perspective undone so the page
 * fills a rectangle, and the light evened out (shadows and vignetting
 * divided away). A page that fills the frame (a flatbed scan) comes back
 * as it is: its rules are straight already.
 */
export async function flattenPhoto(r: Raster): Promise<Raster> {
  const small = await shrinkRaster(r, FIND_SIDE);
  const quad = findPageQuad(small);
  if (!quad) return r;
  const s = r.width / small.width;
  const corners = quad.map((p) => ({ x: p.x * s, y: p.y * s })) as [Point, Point, Point, Point];
  return evenLight(warp(r, corners));
}

/** The page's corners (top-left, top-right, bottom-right, bottom-left), or null when no sheet stands out from a background. */
export function findPageQuad(r: Raster): [Point, Point, Point, Point] | null {
  const { width: w, height: h } = r;
  const lum = new Uint8Array(w * h);
  for (let i = 0, j = 0; i < lum.length; i++, j += 3) lum[i] = (r.data[j]! * 3 + r.data[j + 1]! * 6 + r.data[j + 2]!) / 10;
  const t = otsu(lum);
  const paper = largestComponent(lum, w, h, t);
  if (!paper) return null;
  const { mask, area } = paper;
  // A sheet that fills the frame, or a bright patch too small to be a page.
  if (area > w * h * 0.9 || area < w * h * 0.25) return null;
  // Background must be clearly darker than the paper, or the outline is noise.
  let bg = 0;
  let nb = 0;
  let pg = 0;
  for (let i = 0; i < lum.length; i++) {
    if (mask[i]) pg += lum[i]!;
    else {
      bg += lum[i]!;
      nb++;
    }
  }
  if (nb === 0 || pg / area - bg / nb < 30) return null;

  // Each edge from the outermost paper pixel of every row (or column), fitted as a straight line.
  const left: Point[] = [];
  const right: Point[] = [];
  const top: Point[] = [];
  const bottom: Point[] = [];
  for (let y = 0; y < h; y++) {
    let a = -1;
    let b = -1;
    for (let x = 0; x < w; x++) {
      if (!mask[y * w + x]) continue;
      b = x;
      if (a < 0) a = x;
    }
    if (a >= 0) {
      left.push({ x: a, y });
      right.push({ x: b, y });
    }
  }
  for (let x = 0; x < w; x++) {
    let a = -1;
    let b = -1;
    for (let y = 0; y < h; y++) {
      if (!mask[y * w + x]) continue;
      b = y;
      if (a < 0) a = y;
    }
    if (a >= 0) {
      top.push({ x, y: a });
      bottom.push({ x, y: b });
    }
  }
  // The ends of each run belong to the neighbouring edges (the corners): only the middle is fitted.
  const mid = (ps: Point[]) => ps.slice(Math.floor(ps.length * 0.15), Math.ceil(ps.length * 0.85));
  const L = fitLine(mid(left), true);
  const R = fitLine(mid(right), true);
  const T = fitLine(mid(top), false);
  const B = fitLine(mid(bottom), false);
  if (!L || !R || !T || !B) return null;
  const quad = [meet(T, L), meet(T, R), meet(B, R), meet(B, L)];
  if (quad.some((p) => !p || p.x < -w * 0.05 || p.y < -h * 0.05 || p.x > w * 1.05 || p.y > h * 1.05)) return null;
  const q = quad as [Point, Point, Point, Point];
  // A page's outline is a convex four-sided figure, roughly as large as the paper found.
  if (polygonArea(q) < area * 0.85 || polygonArea(q) > area * 1.15) return null;
  return q;
}

/** Line a·x + b·y = c through points; `vertical` fits x as a function of y. Trimmed once of outliers (a thumb, a fold). */
function fitLine(ps: Point[], vertical: boolean): { a: number; b: number; c: number } | null {
  if (ps.length < 10) return null;
  const fit = (pts: Point[]) => {
    // u = m·v + k, with (u, v) = (x, y) for a vertical edge, else (y, x).
    let sv = 0, su = 0, svv = 0, svu = 0;
    for (const p of pts) {
      const u = vertical ? p.x : p.y;
      const v = vertical ? p.y : p.x;
      sv += v;
      su += u;
      svv += v * v;
      svu += v * u;
    }
    const n = pts.length;
    const d = n * svv - sv * sv;
    if (d === 0) return null;
    const m = (n * svu - sv * su) / d;
    return { m, k: (su - m * sv) / n };
  };
  let f = fit(ps);
  if (!f) return null;
  const res = (p: Point) => Math.abs((vertical ? p.x : p.y) - (f!.m * (vertical ? p.y : p.x) + f!.k));
  const sorted = ps.map(res).sort((a, b) => a - b);
  const cut = Math.max(2, sorted[Math.floor(sorted.length * 0.8)]!);
  f = fit(ps.filter((p) => res(p) <= cut)) ?? f;
  // vertical: x = m·y + k → x − m·y = k; horizontal: y = m·x + k → −m·x + y = k
  return vertical ? { a: 1, b: -f.m, c: f.k } : { a: -f.m, b: 1, c: f.k };
}

function meet(p: { a: number; b: number; c: number }, q: { a: number; b: number; c: number }): Point | null {
  const d = p.a * q.b - q.a * p.b;
  if (Math.abs(d) < 1e-9) return null;
  return { x: (p.c * q.b - q.c * p.b) / d, y: (p.a * q.c - q.a * p.c) / d };
}

function polygonArea(q: Point[]): number {
  let s = 0;
  for (let i = 0; i < q.length; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % q.length]!;
    s += a.x * b.y - b.x * a.y;
  }
  return Math.abs(s) / 2;
}

function otsu(lum: Uint8Array): number {
  const hist = new Float64Array(256);
  for (const v of lum) hist[v]!++;
  const n = lum.length;
  let sum = 0;
  for (let i = 0; i < 256; i++) sum += i * hist[i]!;
  let sb = 0, wb = 0, best = 0, t = 128;
  for (let i = 0; i < 256; i++) {
    wb += hist[i]!;
    if (!wb) continue;
    const wf = n - wb;
    if (!wf) break;
    sb += i * hist[i]!;
    const mb = sb / wb;
    const mf = (sum - sb) / wf;
    const between = wb * wf * (mb - mf) ** 2;
    if (between > best) {
      best = between;
      t = i;
    }
  }
  return t;
}

/** The largest 4-connected set of pixels brighter than `t`, holes inside it filled (the print on the paper). */
function largestComponent(lum: Uint8Array, w: number, h: number, t: number): { mask: Uint8Array; area: number } | null {
  const label = new Int32Array(w * h);
  const stack = new Int32Array(w * h);
  let best = 0;
  let bestArea = 0;
  let next = 0;
  for (let s = 0; s < w * h; s++) {
    if (lum[s]! <= t || label[s]) continue;
    next++;
    let top = 0;
    let area = 0;
    stack[top++] = s;
    label[s] = next;
    while (top) {
      const p = stack[--top]!;
      area++;
      const x = p % w;
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w]) {
        if (q < 0 || q >= w * h || label[q] || lum[q]! <= t) continue;
        label[q] = next;
        stack[top++] = q;
      }
    }
    if (area > bestArea) {
      bestArea = area;
      best = next;
    }
  }
  if (!best) return null;
  // Holes (text, rules) are what the background's flood cannot reach from the border.
  const outside = new Uint8Array(w * h);
  let top = 0;
  const seed = (p: number) => {
    if (label[p] === best || outside[p]) return;
    outside[p] = 1;
    stack[top++] = p;
  };
  for (let x = 0; x < w; x++) [x, (h - 1) * w + x].forEach(seed);
  for (let y = 0; y < h; y++) [y * w, y * w + w - 1].forEach(seed);
  while (top) {
    const p = stack[--top]!;
    const x = p % w;
    for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w]) {
      if (q < 0 || q >= w * h || outside[q] || label[q] === best) continue;
      outside[q] = 1;
      stack[top++] = q;
    }
  }
  const mask = new Uint8Array(w * h);
  let area = 0;
  for (let i = 0; i < mask.length; i++) {
    if (outside[i]) continue;
    mask[i] = 1;
    area++;
  }
  return { mask, area };
}

/** The quadrilateral mapped onto an upright rectangle of its own size (bilinear, inverse homography). */
function warp(r: Raster, [tl, tr, br, bl]: [Point, Point, Point, Point]): Raster {
  const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);
  const W = Math.round(Math.max(dist(tl, tr), dist(bl, br)));
  const H = Math.round(Math.max(dist(tl, bl), dist(tr, br)));
  const m = homography([{ x: 0, y: 0 }, { x: W, y: 0 }, { x: W, y: H }, { x: 0, y: H }], [tl, tr, br, bl]);
  const out = Buffer.alloc(W * H * 3, 255);
  const { data, width, height } = r;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const d = m[6]! * x + m[7]! * y + 1;
      const sx = (m[0]! * x + m[1]! * y + m[2]!) / d;
      const sy = (m[3]! * x + m[4]! * y + m[5]!) / d;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 >= width - 1 || y0 >= height - 1) continue;
      const fx = sx - x0;
      const fy = sy - y0;
      const o = (y * W + x) * 3;
      const i00 = (y0 * width + x0) * 3;
      const i10 = i00 + 3;
      const i01 = i00 + width * 3;
      const i11 = i01 + 3;
      for (let c = 0; c < 3; c++) {
        const top = data[i00 + c]! + (data[i10 + c]! - data[i00 + c]!) * fx;
        const bot = data[i01 + c]! + (data[i11 + c]! - data[i01 + c]!) * fx;
        out[o + c] = top + (bot - top) * fy;
      }
    }
  return { data: out, width: W, height: H };
}

/** The 3×3 projective map (h33 = 1) taking each `from` point to the `to` point, by solving the 8×8 system. */
function homography(from: Point[], to: Point[]): number[] {
  const A: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const { x, y } = from[i]!;
    const { x: u, y: v } = to[i]!;
    A.push([x, y, 1, 0, 0, 0, -u * x, -u * y, u]);
    A.push([0, 0, 0, x, y, 1, -v * x, -v * y, v]);
  }
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k < 9; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  return A.map((row, i) => row[8]! / row[i]!);
}

/**
 * Divides each channel by its local paper level (the page with the print
 * taken out by a maximum filter, then blurred): shadows and vignetting go,
 * ink and the seal's red keep their contrast.
 */
async function evenLight(r: Raster): Promise<Raster> {
  const k = 8;
  const sw = Math.max(1, Math.round(r.width / k));
  const sh = Math.max(1, Math.round(r.height / k));
  const small = await sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } }).resize({ width: sw, height: sh, fit: "fill" }).raw().toBuffer();
  // A text line is a few small pixels tall: a 7×7 maximum leaves only paper.
  const paper = maxFilter(small, sw, sh, 3);
  const level = await sharp(paper, { raw: { width: sw, height: sh, channels: 3 } })
    .blur(4)
    .resize({ width: r.width, height: r.height, fit: "fill", kernel: "linear" })
    .raw()
    .toBuffer();
  const out = Buffer.alloc(r.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.min(255, (r.data[i]! * 245) / Math.max(40, level[i]!));
  return { data: out, width: r.width, height: r.height };
}

function maxFilter(d: Buffer, w: number, h: number, rad: number): Buffer {
  const tmp = Buffer.alloc(d.length);
  const out = Buffer.alloc(d.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) {
        let m = 0;
        for (let k = Math.max(0, x - rad); k <= Math.min(w - 1, x + rad); k++) m = Math.max(m, d[(y * w + k) * 3 + c]!);
        tmp[(y * w + x) * 3 + c] = m;
      }
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++) {
        let m = 0;
        for (let k = Math.max(0, y - rad); k <= Math.min(h - 1, y + rad); k++) m = Math.max(m, tmp[(k * w + x) * 3 + c]!);
        out[(y * w + x) * 3 + c] = m;
      }
  return out;
}
