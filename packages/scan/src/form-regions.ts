import { blobs } from "./blobs.js";
import type { Box, Raster } from "./raster.js";

export interface TableCell {
  /** Inside of the cell, between its ruling lines, in raster pixels. */
  box: Box;
  /** False when nothing is written in it. */
  inked: boolean;
}

/** Darkest a pixel may be and still count as paper (0–255 luminance). */
const INK = 150;
/**
 * The same for tracing rules: a faint grey rule must not leak one cell into
 * the next, and only long runs count, so paper noise and text do not.
 */
const RULE_INK = 190;

export interface FormRegions {
  /** Cells of ruled tables. */
  cells: TableCell[];
  /** The writing space above each fill-in line (填报时间 ______), outside any table. */
  blanks: TableCell[];
}

/**
 * Where a form's answers are written: the cells of its ruled tables (the
 * regions of paper fully enclosed by long straight rules) and the space
 * above its fill-in lines. Only the rules are traced, never the text, so a
 * merged cell (a label spanning two rows) comes out as one region, whatever
 * the table's shape. `lineHeight` (a text line, in pixels) sizes the blanks.
 */
export function findFormRegions(r: Raster, lineHeight: number): FormRegions {
  const { width: w, height: h } = r;
  const dark = inkMask(r, INK);
  const faint = inkMask(r, RULE_INK);
  // A rule is far longer than any stroke of a character (a 一 is one character wide).
  const minRule = Math.max(40, Math.round(Math.min(w, h) / 25));
  const across = new Uint8Array(w * h);
  markRuns(faint, across, w, h, minRule, true);
  const rules = Uint8Array.from(across);
  markRuns(faint, rules, w, h, minRule, false);
  // Scanned rules are broken where they cross or fade: close gaps of a few pixels.
  const closed = dilate(rules, w, h, Math.max(2, Math.round(Math.min(w, h) / 600)));
  const minSide = Math.max(12, Math.round(Math.min(w, h) / 100));
  const cells: TableCell[] = [];
  for (const c of blobs(closed, w, h, { value: 0 })) {
    const bw = c.x1 - c.x0 + 1;
    const bh = c.y1 - c.y0 + 1;
    if (c.touchesEdge || bw < minSide * 2 || bh < minSide || bw * bh > w * h * 0.6) continue;
    // A cell is a rectangle: its region fills its box, unlike the paper around a table.
    if (c.area < bw * bh * 0.8) continue;
    const box = { x0: c.x0, y0: c.y0, x1: c.x1 + 1, y1: c.y1 + 1 };
    cells.push({ box, inked: inkIn(dark, w, box) });
  }
  const blanks = fillInBlanks(horizontalRules(across, w, h), cells, Math.max(minSide, lineHeight), minRule * 3).map((box) => ({ box, inked: inkIn(dark, w, box) }));
  return { cells, blanks };
}

/** The horizontal rules as boxes: runs on consecutive rows that overlap are one rule. */
function horizontalRules(across: Uint8Array, w: number, h: number): Box[] {
  const open: Box[] = [];
  const done: Box[] = [];
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      if (!across[row + x]) continue;
      let end = x;
      while (end < w && across[row + end]) end++;
      // A slanted rule steps from row to row: a run overlapping or continuing one on the rows just above is the same rule.
      const rule = open.find((b) => b.y1 >= y - 2 && Math.min(b.x1, end) - Math.max(b.x0, x) > -4);
      if (rule) {
        rule.x0 = Math.min(rule.x0, x);
        rule.x1 = Math.max(rule.x1, end);
        rule.y1 = y + 1;
      } else open.push({ x0: x, y0: y, x1: end, y1: y + 1 });
      x = end;
    }
    for (let i = open.length - 1; i >= 0; i--) if (open[i]!.y1 < y - 2) done.push(...open.splice(i, 1));
  }
  return [...done, ...open];
}

/**
 * The writing space over each fill-in line: as wide as the line, up to the
 * line above it or two lines of text high (four characters' height). Rules that edge a table cell are
 * the table's own, and thick bars are not lines to write on.
 */
function fillInBlanks(rules: Box[], cells: TableCell[], lineHeight: number, minLength: number): Box[] {
  const edges = (r: Box) => cells.some((c) => Math.min(c.box.x1, r.x1) - Math.max(c.box.x0, r.x0) > 0 && (Math.abs(c.box.y1 - r.y0) < 8 || Math.abs(c.box.y0 - r.y1) < 8));
  const lines = rules.filter((r) => r.x1 - r.x0 >= minLength && r.y1 - r.y0 <= 8 && !edges(r)).sort((a, b) => a.y0 - b.y0);
  return lines
    .map((l, i) => {
      let top = l.y0 - Math.round(lineHeight * 4);
      for (const above of lines.slice(0, i)) if (Math.min(above.x1, l.x1) - Math.max(above.x0, l.x0) > 0) top = Math.max(top, above.y1 + 1);
      return { x0: l.x0, y0: Math.max(0, top), x1: l.x1, y1: l.y0 };
    })
    .filter((b) => b.y1 - b.y0 >= lineHeight / 2);
}

function inkMask(r: Raster, threshold: number): Uint8Array {
  const { data, width, height } = r;
  const m = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < m.length; i++, j += 3) m[i] = (data[j]! * 3 + data[j + 1]! * 6 + data[j + 2]!) / 10 < threshold ? 1 : 0;
  return m;
}

/** Marks in `out` the dark runs at least `min` long along rows (or columns), bridging one-pixel gaps. */
function markRuns(dark: Uint8Array, out: Uint8Array, w: number, h: number, min: number, horizontal: boolean): void {
  const lines = horizontal ? h : w;
  const len = horizontal ? w : h;
  const at = horizontal ? (l: number, i: number) => l * w + i : (l: number, i: number) => i * w + l;
  for (let l = 0; l < lines; l++) {
    let start = -1;
    let gap = 0;
    for (let i = 0; i <= len; i++) {
      const on = i < len && dark[at(l, i)] === 1;
      if (on) {
        if (start < 0) start = i;
        gap = 0;
        continue;
      }
      if (start >= 0 && i < len && gap < 1) {
        gap++;
        continue;
      }
      if (start >= 0) {
        const end = i - gap;
        if (end - start >= min) for (let k = start; k < end; k++) out[at(l, k)] = 1;
      }
      start = -1;
      gap = 0;
    }
  }
}

/** Square dilation by `r` pixels, done as a row pass and a column pass. */
function dilate(m: Uint8Array, w: number, h: number, r: number): Uint8Array {
  const tmp = new Uint8Array(w * h);
  spread(m, tmp, w, h, r, 1, w);
  const out = new Uint8Array(w * h);
  spread(tmp, out, h, w, r, w, 1);
  return out;
}

/** Sets each pixel within `r` steps of a set one along lines of `len` pixels (`step` apart; lines `stride` apart). */
function spread(src: Uint8Array, dst: Uint8Array, len: number, lines: number, r: number, step: number, stride: number): void {
  for (let l = 0; l < lines; l++) {
    const base = l * stride;
    let last = -Infinity;
    for (let i = 0; i < len; i++) {
      if (src[base + i * step]) last = i;
      if (i - last <= r) dst[base + i * step] = 1;
    }
    let next = Infinity;
    for (let i = len - 1; i >= 0; i--) {
      if (src[base + i * step]) next = i;
      if (next - i <= r) dst[base + i * step] = 1;
    }
  }
}

/** Whether a cell holds writing: a few dozen ink pixels away from its rules. */
function inkIn(dark: Uint8Array, w: number, b: Box): boolean {
  const pad = 3;
  let n = 0;
  for (let y = b.y0 + pad; y < b.y1 - pad; y++) for (let x = b.x0 + pad; x < b.x1 - pad; x++) n += dark[y * w + x]!;
  return n >= 30;
}
