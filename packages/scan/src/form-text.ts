import sharp from "sharp";
import { eraseBoxes, findTickedBoxes, markTickedBoxes } from "./checkboxes.js";
import type { OcrPool, OcrWord } from "./ocr-pool.js";
import { joinCjk } from "./ocr-text.js";
import type { Box, Raster } from "./raster.js";
import { findFormRegions, type TableCell } from "./form-regions.js";

/** Fewer cells (or fill-in lines) than this is a frame or a signature line, not a form. */
const MIN_REGIONS = 3;
/** Text height tesseract reads best at, in pixels; smaller cells are enlarged to it. */
const TARGET_LINE = 40;

interface Item {
  y: number;
  lines: string[];
}

/** A line of the whole-page OCR, in raster pixels. */
interface PageLine {
  box: Box;
  text: string;
}

/**
 * The text of a form page read region by region: each table cell and each
 * fill-in blank is OCR'd on its own; a table row becomes one line with its
 * cells separated by " | " (a long last cell going on over the following
 * lines), a blank becomes "label | answer" with the label beside it read too,
 * and the rest of the page's text (from the whole-page OCR) keeps its place
 * between them. Whole-page OCR loses cells, splits an answer written over
 * two lines from its label, and glues labels to the rules beside them; read
 * alone, a region has none of these problems. Null when the page has neither
 * a table nor fill-in lines.
 */
export async function readFormPage(r: Raster, page: { words: OcrWord[]; scale: number }, ocr: Pick<OcrPool, "recognize">, lineHeight: number): Promise<string | null> {
  const { cells, blanks } = findFormRegions(r, lineHeight);
  if (cells.length < MIN_REGIONS && blanks.length < MIN_REGIONS) return null;
  const labels = blankLabels(blanks, page, lineHeight);
  const read = (regions: TableCell[]) => Promise.all(regions.map((c) => (c.inked ? readCell(r, c.box, ocr, lineHeight) : Promise.resolve([]))));
  const cellTexts = await read(cells);
  const blankTexts = await read(blanks);
  const labelTexts = await read(labels);
  const outside = pageLines([...cells, ...blanks, ...labels], page, lineHeight);
  const items: Item[] = [...tableRows(cells, cellTexts), ...blankRows(blanks, blankTexts, labels, labelTexts)];
  items.push(...outside.map((l) => ({ y: l.box.y0, lines: [l.text] })));
  items.sort((a, b) => a.y - b.y);
  return items.flatMap((i) => i.lines).join("\n");
}

/**
 * Where each blank's label is printed: left of the blank, level with it,
 * from the page's left text margin (the leftmost word the page OCR saw).
 * Read on their own, spaced-out labels (申 报 单 位) come out whole; the
 * page OCR often reads such a column of characters downwards instead.
 */
function blankLabels(blanks: TableCell[], page: { words: OcrWord[]; scale: number }, lineHeight: number): TableCell[] {
  const lh = Math.max(8, lineHeight);
  const margin = Math.min(...page.words.filter((w) => w.text.trim()).map((w) => w.bbox.x0 / page.scale));
  if (!Number.isFinite(margin)) return blanks.map((b) => ({ box: { ...b.box, x1: b.box.x0 }, inked: false }));
  return blanks.map((b) => {
    const box = { x0: Math.max(0, Math.round(margin - lh / 2)), y0: b.box.y0, x1: b.box.x0 - 2, y1: b.box.y1 + Math.round(lh / 2) };
    return { box, inked: b.inked && box.x1 - box.x0 >= lh * 2 };
  });
}

/** Each written blank as "label | answer", placed at the blank. */
function blankRows(blanks: TableCell[], texts: string[][], labels: TableCell[], labelTexts: string[][]): Item[] {
  const items: Item[] = [];
  blanks.forEach((b, i) => {
    const t = texts[i]!;
    if (!t.length) return;
    const label = labelTexts[i]!.join("");
    items.push({ y: Math.min(b.box.y0, labels[i]!.box.y0), lines: [label ? `${label} | ${t.reduce(joinLines)}` : t.reduce(joinLines)] });
  });
  return items;
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

/**
 * The whole-page OCR's lines, without the words inside the regions read on
 * their own (a title, a label beside a blank). A "line" taller than a few
 * text lines and narrower than tall is a column of spaced-out label
 * characters read downwards: noise, not text.
 */
function pageLines(regions: TableCell[], page: { words: OcrWord[]; scale: number }, lineHeight: number): PageLine[] {
  const inside = (x: number, y: number) => regions.some((c) => x >= c.box.x0 && x <= c.box.x1 && y >= c.box.y0 && y <= c.box.y1);
  const lines = new Map<number, OcrWord[]>();
  for (const w of page.words) {
    const cx = (w.bbox.x0 + w.bbox.x1) / 2 / page.scale;
    const cy = (w.bbox.y0 + w.bbox.y1) / 2 / page.scale;
    if (!w.text.trim() || inside(cx, cy)) continue;
    lines.set(w.line, [...(lines.get(w.line) ?? []), w]);
  }
  const s = page.scale;
  return [...lines.values()]
    .map((ws) => ({
      box: { x0: Math.min(...ws.map((w) => w.bbox.x0)) / s, y0: Math.min(...ws.map((w) => w.bbox.y0)) / s, x1: Math.max(...ws.map((w) => w.bbox.x1)) / s, y1: Math.max(...ws.map((w) => w.bbox.y1)) / s },
      text: joinCjk(ws.map((w) => w.text).join(" ")),
    }))
    // A sliver of a rule reads as | or _.
    .filter((l) => l.text && !RULE_ONLY.test(l.text))
    .filter((l) => lineHeight <= 0 || l.box.y1 - l.box.y0 <= lineHeight * 3 || l.box.x1 - l.box.x0 > l.box.y1 - l.box.y0);
}

/**
 * One cell's text lines: cropped inside its rules, given a white margin and
 * read as a block at the page's size and enlarged; the more confident reading
 * wins (small text and dotted leaders each read better at one of the two).
 * Lines that run to the cell's right edge are wrapped, and are joined to the next.
 */
async function readCell(r: Raster, box: Box, ocr: Pick<OcrPool, "recognize">, lineHeight: number): Promise<string[]> {
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
  const read = async (zoom: number): Promise<CellLine[]> => {
    const png = await sharp(clean, { raw: { width, height, channels: 1 } })
      .resize({ width: Math.round(width * zoom), height: Math.round(height * zoom), kernel: "lanczos3" })
      .extend({ top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, background: { r: 255, g: 255, b: 255 } })
      .png({ compressionLevel: 1 })
      .toBuffer();
    const o = await ocr.recognize(png, { psm: 6, cost });
    const boxes = ticked.map((b) => ({ x0: b.x0 * zoom + MARGIN, y0: b.y0 * zoom + MARGIN, x1: b.x1 * zoom + MARGIN, y1: b.y1 * zoom + MARGIN }));
    return cellLines(markTickedBoxes((o.words ?? []) as OcrWord[], boxes), zoom);
  };
  let best: { lines: CellLine[]; score: number } | null = null;
  for (const zoom of [1, zoomed]) {
    const lines = await read(zoom);
    const score = confidence(lines);
    if (!best || score > best.score) best = { lines, score };
    // A confident first reading is kept: the second costs as much again.
    if (best.score >= SURE) break;
  }
  // An e-mail address or a long code with a stray Chinese character in it is read again,
  // larger: small, the Chinese model turns a pair like gj into one Chinese character
  // (gjhz@… read as 外hz@…). A reading all in Latin letters is kept.
  const text = best!.lines.map((l) => l.text).join("");
  const latin = (text.match(/[\x21-\x7e]/g) ?? []).length;
  const cjk = (text.match(/[\u3400-\u9fff]/g) ?? []).length;
  if (/@|[A-Za-z0-9]{12,}/.test(text) && cjk >= 1 && cjk <= 2 && latin >= (latin + cjk) * 0.7) {
    const lines = await read(Math.max(3, zoomed));
    if (lines.length) best = { lines, score: confidence(lines) };
  }
  return unwrap(best!.lines, width);
}

const MARGIN = 16;
/** A line that is only what a rule's edge reads as. */
const RULE_ONLY = /^[|｜_\-—.:,'"`\s]*$/;
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
    .filter((l) => !RULE_ONLY.test(l.text));
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
    // A line reaching the cell's edge goes on, unless it ends a sentence; one inside an open parenthesis always does.
    // (OCR reads one （ as 《〈: a run of angle brackets is one parenthesis.)
    const open = (text.match(/[（(]|[《〈]+/g) ?? []).length > (text.match(/[）)]|[》〉]+/g) ?? []).length;
    const wraps = open || (l.right >= width - l.height * 1.5 && !/[。！？!?：:]$/.test(l.text));
    if (wraps) carry = text;
    else {
      out.push(text);
      carry = "";
    }
  }
  if (carry) out.push(carry);
  return out;
}
