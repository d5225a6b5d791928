import type { OcrWord } from "./ocr-pool.js";
import { blobs } from "./blobs.js";
import { clearRules, inkMask } from "./ink.js";
import type { Raster } from "./raster.js";

export interface LineAxis {
  /** Which way the text lines run on the page as it is. */
  axis: "horizontal" | "vertical" | "unknown";
  /** Characters whose nearest neighbour lies along the rows, and along the columns. */
  along: number;
  across: number;
}

/**
 * Which way the text lines run, from the pixels alone: characters sit closer
 * to their neighbours along a line than to the lines above and below
 * (Chinese and Latin alike), so for each character-sized blot of ink the
 * nearest neighbour to its side and the nearest above or below are compared.
 * Tells a page turned a quarter from one upright or upside down; not which of
 * the two. Expects a small raster (~1000 px long side).
 */
export function lineAxis(r: Raster): LineAxis {
  const { width, height } = r;
  const long = Math.max(width, height);
  const m = inkMask(r);
  clearRules(m, width, height, Math.round(long * 0.06));
  const marks = blobs(m, width, height, { diagonal: true }).filter((b) => {
    const w = b.x1 - b.x0 + 1;
    const h = b.y1 - b.y0 + 1;
    return !b.touchesEdge && b.area >= 6 && Math.max(w, h) >= 4 && Math.max(w, h) <= long * 0.04 && Math.max(w, h) <= 4 * Math.min(w, h);
  });
  if (marks.length < 8) return { axis: "unknown", along: 0, across: 0 };
  const pts = marks.map((b) => ({ x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2, s: Math.max(b.x1 - b.x0, b.y1 - b.y0) + 1 }));
  // Buckets of a grid for the neighbour search.
  const cell = Math.max(8, Math.round(long / 60));
  const gw = Math.ceil(width / cell);
  const grid = new Map<number, number[]>();
  pts.forEach((p, i) => {
    const k = Math.floor(p.y / cell) * gw + Math.floor(p.x / cell);
    const list = grid.get(k);
    if (list) list.push(i);
    else grid.set(k, [i]);
  });
  let along = 0;
  let across = 0;
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i]!;
    const reach = p.s * 4;
    let dx = Infinity;
    let dy = Infinity;
    const gx0 = Math.floor((p.x - reach) / cell);
    const gx1 = Math.floor((p.x + reach) / cell);
    const gy0 = Math.floor((p.y - reach) / cell);
    const gy1 = Math.floor((p.y + reach) / cell);
    for (let gy = gy0; gy <= gy1; gy++) {
      for (let gx = gx0; gx <= gx1; gx++) {
        if (gx < 0 || gx >= gw) continue;
        for (const j of grid.get(gy * gw + gx) ?? []) {
          if (j === i) continue;
          const q = pts[j]!;
          // Only neighbours of a like size: a dot beside a character says little.
          if (q.s < p.s * 0.5 || q.s > p.s * 2) continue;
          const ax = Math.abs(q.x - p.x);
          const ay = Math.abs(q.y - p.y);
          const d = Math.hypot(ax, ay);
          if (d > reach) continue;
          if (ay <= ax * 0.36) dx = Math.min(dx, d);
          else if (ax <= ay * 0.36) dy = Math.min(dy, d);
        }
      }
    }
    if (dx === Infinity && dy === Infinity) continue;
    if (dx < dy * 0.8) along++;
    else if (dy < dx * 0.8) across++;
  }
  const n = along + across;
  const axis = n < 8 ? "unknown" : along >= across * 1.5 ? "horizontal" : across >= along * 1.5 ? "vertical" : "unknown";
  return { axis, along, across };
}

/**
 * Whether an OCR reading looks like upright text: most of the Chinese it
 * returned was read with confidence. Upside down, tesseract still returns
 * characters, but few of them confidently (about one in six against most).
 */
export function readsUpright(words: OcrWord[]): boolean {
  let all = 0;
  let sure = 0;
  for (const w of words) {
    const n = (w.text.match(/[\u3400-\u9fff]/g) ?? []).length;
    all += n;
    if (w.confidence >= 70) sure += n;
  }
  return sure >= 5 && sure >= all * 0.5;
}
