import sharp from "sharp";
import { eraseBoxes, findTickedBoxes, markTickedBoxes } from "./checkboxes.js";
import type { OcrPool, OcrWord } from "./ocr-pool.js";
import { joinCjk } from "./ocr-text.js";
import type { Box, Raster } from "./raster.js";
import { findTableCells, type TableCell } from "./table-cells.js";

/** Fewer cells than this is a frame or a box, not a form's table. */
const MIN_CELLS = 3;
/** Text height tesseract reads best at, in pixels; smaller cells are enlarged to it. */
const TARGET_LINE = 40;

interface Item {
  y: number;
  lines: string[];
}

/**
 * The text of a page holding a ruled table, read cell by cell: one line per
 * table row with its cells separated by " | ", a long last cell going on over
 * the following lines, and the page's text outside the table (from the
 * whole-page OCR) in its place between the rows. Whole-page OCR loses cells
 * and glues labels to the rules beside them; read alone, a cell has neither
 * problem. Null when the page has no table.
 */
export async function readTablePage(r: Raster, page: { words: OcrWord[]; scale: number }, ocr: OcrPool, lineHeight: number): Promise<string | null> {
  const cells = findTableCells(r);
  if (cells.length < MIN_CELLS) return null;
  const texts = await Promise.all(cells.map((c) => (c.inked ? readCell(r, c.box, ocr, lineHeight) : Promise.resolve([]))));
  const items: Item[] = [...tableRows(cells, texts), ...outsideLines(cells, page)];
  items.sort((a, b) => a.y - b.y);
  return items.flatMap((i) => i.lines).join("\n");
}

/** Cells grouped into rows by their top edge, left to right, each row as text lines. */
function tableRows(cells: TableCell[], texts: string[][]): Item[] {
  const order = cells.map((c, i) => ({ c, t: texts[i]! })).sort((a, b) => a.c.box.y0 - b.c.box.y0 || a.c.box.x0 - b.c.box.x0);
  const rows: { y: number; h: number; cells: { x: number; t: string[] }[] }[] = [];
  for (const { c, t } of order) {
    const row = rows[rows.length - 1];
    const h = c.box.y1 - c.box.y0;
    // Cells of one row hang from the same rule: their tops differ by the rule's slant, not by a line of text.
    if (row && c.box.y0 - row.y <= Math.max(4, Math.min(row.h, h) * 0.3)) row.cells.push({ x: c.box.x0, t });
    else rows.push({ y: c.box.y0, h, cells: [{ x: c.box.x0, t }] });
  }
  return rows.map((row) => {
    const cs = row.cells.sort((a, b) => a.x - b.x).filter((c) => c.t.length > 0);
    if (!cs.length) return { y: row.y, lines: [] };
    const head = cs.slice(0, -1).map((c) => c.t.reduce(joinLines));
    const last = cs[cs.length - 1]!.t;
    const joined = last.reduce(joinLines);
    // A short answer wrapped in its cell (an e-mail, a code) is one value; a paragraph keeps its lines.
    if (last.length <= 3 && joined.length <= 40) return { y: row.y, lines: [[...head, joined].join(" | ")] };
    return { y: row.y, lines: [[...head, last[0]!].join(" | "), ...last.slice(1)] };
  });
}

/** Joins two lines of one cell: no space inside Chinese text or a wrapped code, e-mail or number. */
export function joinLines(a: string, b: string): string {
  const cjkEdge = /[\u3000-\u9fff\uff00-\uffef]$/.test(a) || /^[\u3000-\u9fff\uff00-\uffef]/.test(b);
  const wrapped = /[-@._/#]$/.test(a) || /^[-@._/#]/.test(b) || (!/\s/.test(a) && !/\s/.test(b) && /[A-Za-z0-9]$/.test(a) && /^[A-Za-z0-9]/.test(b));
  return cjkEdge || wrapped ? a + b : `${a} ${b}`;
}

/** The whole-page OCR's lines that lie outside every cell (a title above the table, a note under it). */
function outsideLines(cells: TableCell[], page: { words: OcrWord[]; scale: number }): Item[] {
  const inside = (x: number, y: number) => cells.some((c) => x >= c.box.x0 && x <= c.box.x1 && y >= c.box.y0 && y <= c.box.y1);
  const lines = new Map<number, { y: number; words: OcrWord[] }>();
  for (const w of page.words) {
    const cx = (w.bbox.x0 + w.bbox.x1) / 2 / page.scale;
    const cy = (w.bbox.y0 + w.bbox.y1) / 2 / page.scale;
    if (!w.text.trim() || inside(cx, cy)) continue;
    const l = lines.get(w.line) ?? { y: w.bbox.y0 / page.scale, words: [] };
    l.y = Math.min(l.y, w.bbox.y0 / page.scale);
    l.words.push(w);
    lines.set(w.line, l);
  }
  return [...lines.values()].map((l) => ({ y: l.y, lines: [joinCjk(l.words.map((w) => w.text).join(" "))] })).filter((l) => l.lines[0]);
}

/**
 * One cell's text lines: cropped inside its rules, given a white margin and
 * read as a block at the page's size and enlarged; the more confident reading
 * wins (small text and dotted leaders each read better at one of the two).
 * Lines that run to the cell's right edge are wrapped, and are joined to the next.
 */
async function readCell(r: Raster, box: Box, ocr: OcrPool, lineHeight: number): Promise<string[]> {
  const inset = 3;
  const width = box.x1 - box.x0 - inset * 2;
  const height = box.y1 - box.y0 - inset * 2;
  if (width < 8 || height < 8) return [];
  const crop = await sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } })
    .extract({ left: box.x0 + inset, top: box.y0 + inset, width, height })
    .greyscale()
    .raw()
    .toBuffer();
  const cost = (width * height) / (r.width * r.height);
  const zoomed = lineHeight > 0 ? Math.min(3, Math.max(1.5, TARGET_LINE / lineHeight)) : 2;
  const ticked = findTickedBoxes(crop, width, height, lineHeight > 0 ? lineHeight : height);
  const clean = ticked.length ? eraseBoxes(crop, width, ticked) : crop;
  let best: { lines: CellLine[]; score: number } | null = null;
  for (const zoom of [1, zoomed]) {
    const png = await sharp(clean, { raw: { width, height, channels: 1 } })
      .resize({ width: Math.round(width * zoom), height: Math.round(height * zoom), kernel: "lanczos3" })
      .extend({ top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, background: { r: 255, g: 255, b: 255 } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const o = await ocr.recognize(png, { psm: 6, cost });
    const boxes = ticked.map((b) => ({ x0: b.x0 * zoom + MARGIN, y0: b.y0 * zoom + MARGIN, x1: b.x1 * zoom + MARGIN, y1: b.y1 * zoom + MARGIN }));
    const lines = cellLines(markTickedBoxes((o.words ?? []) as OcrWord[], boxes), zoom);
    const score = confidence(lines);
    if (!best || score > best.score) best = { lines, score };
    // A confident first reading is kept: the second costs as much again.
    if (best.score >= SURE) break;
  }
  return unwrap(best!.lines, width);
}

const MARGIN = 16;
/** Mean word confidence past which a cell's first reading is not tried again larger. */
const SURE = 90;

interface CellLine {
  text: string;
  /** Right end and height of the line, in cell pixels. */
  right: number;
  height: number;
  confidence: number;
}

function cellLines(words: OcrWord[], zoom: number): CellLine[] {
  const byLine = new Map<number, OcrWord[]>();
  for (const w of words) if (w.text.trim()) byLine.set(w.line, [...(byLine.get(w.line) ?? []), w]);
  return [...byLine.values()]
    .map((ws) => ({
      // A sliver of the rule at the crop's edge reads as | or _.
      text: joinCjk(ws.map((w) => w.text).join(" ")).trim(),
      right: (Math.max(...ws.map((w) => w.bbox.x1)) - MARGIN) / zoom,
      height: Math.max(...ws.map((w) => w.bbox.y1 - w.bbox.y0)) / zoom,
      confidence: ws.reduce((n, w) => n + w.confidence * w.text.length, 0) / Math.max(1, ws.reduce((n, w) => n + w.text.length, 0)),
    }))
    .filter((l) => !/^[|｜_\-—.:,'"`\s]*$/.test(l.text));
}

/** Mean confidence per character read; nothing read scores 0. */
function confidence(lines: CellLine[]): number {
  const chars = lines.reduce((n, l) => n + l.text.length, 0);
  return chars ? lines.reduce((n, l) => n + l.confidence * l.text.length, 0) / chars : 0;
}

/** Joins each line that reaches the cell's right edge (a wrap, not a sentence's end) to the one after it. */
function unwrap(lines: CellLine[], width: number): string[] {
  const out: string[] = [];
  let carry = "";
  for (const l of lines) {
    const text = carry ? joinLines(carry, l.text) : l.text;
    const wraps = l.right >= width - l.height * 1.5 && !/[。！？!?：:]$/.test(l.text);
    if (wraps) carry = text;
    else {
      out.push(text);
      carry = "";
    }
  }
  if (carry) out.push(carry);
  return out;
}
