import type { PageBox, PageCell, PageItem, PageText, PageTick, ScanPage } from "@intake/schema";
import { findMarkedBoxes, findTickedBoxes, TICKED } from "./checkboxes.js";
import { findFormRegions, type TableCell } from "./form-regions.js";
import type { BudgetedOcr } from "./ocr-budget.js";
import type { GreyImage, TextLine } from "./ppocr.js";
import type { Box, Raster } from "./raster.js";

/** Fewer cells (or fill-in lines) than this is a frame or a signature line, not a form. */
const MIN_REGIONS = 3;
/** Confidence that a region is empty when its pixels hold no writing at all. */
const EMPTY_SURE = 0.95;
/** A line that is only what a rule's edge reads as. */
const RULE_ONLY = /^[|｜_\-—.:,'"`\s]*$/;
/** Glyphs OCR gives an empty box as. */
const EMPTY_GLYPHS = new Set([..."口□☐"]);
/** Glyphs of a ticked box (besides the solid square found from the pixels). */
const TICK_GLYPHS = new Set([..."■☑☒▣√✓✔"]);

/**
 * A form page as structured data: PP-OCR reads every text line of the page,
 * a line that runs across a table's rule is cut at the rule and read again
 * piece by piece, and each line goes to the table cell, the fill-in blank
 * or the free text it sits in. Table rows come out as rows of cells, each
 * blank with the label printed left of it; solid ticked boxes are found
 * from the pixels (OCR drops that glyph) and written into the text as ■.
 */
export async function readFormPage(r: Raster, page: number, rotation: number, ocr: Pick<BudgetedOcr, "readLines">): Promise<FormPageReading> {
  return formPageOf(await readPageLines(r, ocr), page, rotation, ocr);
}

/** A page's text lines as PP-OCR reads them, and how surely: enough to tell whether it is the right way up. */
export interface PageLines {
  raster: Raster;
  grey: GreyImage;
  lines: TextLine[];
  /** Chinese characters read on lines the engine is sure of: how well the page reads this way round. */
  sure: number;
  /** Most of its text reads surely: the page is the right way up. */
  upright: boolean;
  /** Enough Chinese was read to tell which way up the page is (a page turned round often reads as almost none). */
  told: boolean;
}

/** Detects and reads every text line of the page (the first half of readFormPage). */
export async function readPageLines(r: Raster, ocr: Pick<BudgetedOcr, "readLines">): Promise<PageLines> {
  const grey = greyOf(r);
  const lines = await ocr.readLines(grey);
  const sure = lines.reduce((n, l) => n + (l.confidence >= SURE_LINE ? cjkCount(l.text) : 0), 0);
  const all = lines.reduce((n, l) => n + cjkCount(l.text), 0);
  // Too little text to tell counts as upright: a blank page has no wrong way round.
  const told = all >= 6;
  const upright = !told || sure >= all * 0.6;
  return { raster: r, grey, lines, sure, upright, told };
}

/** The page model from a page's lines read the right way up (the second half of readFormPage). */
export async function formPageOf(read: PageLines, page: number, rotation: number, ocr: Pick<BudgetedOcr, "readLines">): Promise<FormPageReading> {
  const { raster: r, grey, sure, upright } = read;
  let lines = read.lines;
  const lh = lineHeight(lines);
  const regions = findFormRegions(r, lh);
  const form = regions.cells.length >= MIN_REGIONS || regions.blanks.length >= MIN_REGIONS;
  const cells = form ? regions.cells : [];
  const blanks = form ? regions.blanks : [];
  lines = await cutAtRules(lines, [...cells, ...blanks], lh, grey, ocr);
  const solid = findTickedBoxes(grey.data, grey.width, grey.height, lh);
  const marked = findMarkedBoxes(grey.data, grey.width, grey.height, lh);
  lines = lines.filter((l) => l.text && !RULE_ONLY.test(l.text));
  // A marked box where OCR read a Chinese character is that character (回, 国), not a box.
  const boxes = [...solid, ...marked.filter((b) => !underCharacter(lines, b))];
  const ticks = boxes;
  lines = markTicks(lines, boxes);

  const frac = (b: Box): PageBox => ({ x0: round4(b.x0 / r.width), y0: round4(b.y0 / r.height), x1: round4(b.x1 / r.width), y1: round4(b.y1 / r.height) });
  const taken = new Set<TextLine>();
  const inside = (c: TableCell) => {
    const mine = lines.filter((l) => !taken.has(l) && contains(c.box, centre(l.box)));
    for (const l of mine) taken.add(l);
    return regionCell(c, mine, lh, frac);
  };
  const items: PageItem[] = [];
  for (const row of tableRows(cells)) {
    const read = row.map(inside);
    items.push({ kind: "row", page, box: frac(union(row.map((c) => c.box))), cells: read });
  }
  for (const b of blanks) {
    const answer = inside(b);
    // The label is printed left of the blank, on its line.
    const label = lines.filter((l) => !taken.has(l) && l.box.x1 <= b.box.x0 + lh && overlapY(l.box, b.box) >= (l.box.y1 - l.box.y0) * 0.5).sort((a, c) => a.box.x0 - c.box.x0);
    for (const l of label) taken.add(l);
    const labelText: PageText | null = label.length ? { text: label.map((l) => l.text).join(""), box: frac(union(label.map((l) => l.box))), confidence: leastConfidence(label) } : null;
    if (!answer.inked && !answer.text && !labelText) continue;
    items.push({ kind: "blank", page, box: frac(union([b.box, ...label.map((l) => l.box)])), label: labelText, answer });
  }
  for (const l of lines) if (!taken.has(l)) items.push({ kind: "line", page, box: frac(l.box), text: l.text, confidence: round2(l.minConfidence) });
  items.sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0);

  const pageTicks: PageTick[] = ticks.map((t) => ({ page, box: frac(t), ticked: true, confidence: 0.9 }));
  for (const l of lines)
    for (const c of l.chars) {
      if (c.text === TICKED || (!EMPTY_GLYPHS.has(c.text) && !TICK_GLYPHS.has(c.text))) continue;
      pageTicks.push({ page, box: frac({ x0: c.x0, y0: l.box.y0, x1: c.x1, y1: l.box.y1 }), ticked: TICK_GLYPHS.has(c.text), confidence: round2(l.minConfidence) });
    }
  return { page: { page, rotation, items, ticks: pageTicks }, sure, upright };
}

export interface FormPageReading {
  page: ScanPage;
  /** Chinese characters read on lines the engine is sure of: how well the page reads this way round. */
  sure: number;
  /** Most of its text reads surely: the page is the right way up. */
  upright: boolean;
}

/** Mean character probability past which a line counts as read, not guessed. */
const SURE_LINE = 0.8;
const cjkCount = (s: string) => (s.match(/[\u3400-\u9fff]/g) ?? []).length;

function greyOf(r: Raster): GreyImage {
  const data = new Uint8Array(r.width * r.height);
  for (let i = 0, j = 0; i < data.length; i++, j += 3) data[i] = (r.data[j]! * 3 + r.data[j + 1]! * 6 + r.data[j + 2]!) / 10;
  return { data, width: r.width, height: r.height };
}

/** Median height of the lines that hold Chinese text (the page's text size). */
function lineHeight(lines: TextLine[]): number {
  const hs = lines.filter((l) => /[\u3400-\u9fff]/.test(l.text) && l.confidence >= 0.6).map((l) => l.box.y1 - l.box.y0);
  if (!hs.length) return 20;
  hs.sort((a, b) => a - b);
  return hs[hs.length >> 1]!;
}

/**
 * Detection joins text across a rule when the gap is narrow (a label and
 * the answer beside it). Such a line is cut at the edges of the regions it
 * spans, and the pieces are read again.
 */
async function cutAtRules(lines: TextLine[], regions: TableCell[], lh: number, grey: GreyImage, ocr: Pick<BudgetedOcr, "readLines">): Promise<TextLine[]> {
  const keep: TextLine[] = [];
  const pieces: Box[] = [];
  for (const l of lines) {
    const h = l.box.y1 - l.box.y0;
    const spans = regions
      .filter((c) => overlapY(l.box, c.box) >= h * 0.5)
      .map((c) => ({ x0: Math.max(l.box.x0, c.box.x0), x1: Math.min(l.box.x1, c.box.x1) }))
      .filter((s) => s.x1 - s.x0 >= lh * 0.8)
      .sort((a, b) => a.x0 - b.x0);
    const covered = spans.reduce((n, s) => n + s.x1 - s.x0, 0);
    const outside = l.box.x1 - l.box.x0 - covered;
    if (spans.length >= 2 || (spans.length === 1 && outside > lh * 1.5)) {
      for (const s of spans) pieces.push({ x0: s.x0, y0: l.box.y0, x1: s.x1, y1: l.box.y1 });
      // What lies outside every region (a label left of a blank) is read too.
      let x = l.box.x0;
      for (const s of spans) {
        if (s.x0 - x > lh * 1.5) pieces.push({ x0: x, y0: l.box.y0, x1: s.x0, y1: l.box.y1 });
        x = Math.max(x, s.x1);
      }
      if (l.box.x1 - x > lh * 1.5) pieces.push({ x0: x, y0: l.box.y0, x1: l.box.x1, y1: l.box.y1 });
    } else keep.push(l);
  }
  if (!pieces.length) return keep;
  const reread = await ocr.readLines(grey, { boxes: pieces });
  return [...keep, ...reread].sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0);
}

/** Whether OCR read a Chinese character (other than 口, an empty box's reading) over the box's middle. */
function underCharacter(lines: TextLine[], b: Box): boolean {
  const cx = (b.x0 + b.x1) / 2;
  // Recognition places a character by its strongest step, not its full width: near its middle counts.
  const reach = (b.x1 - b.x0) * 0.8;
  return lines.some((l) => overlapY(l.box, b) >= (b.y1 - b.y0) * 0.5 && l.chars.some((c) => Math.abs((c.x0 + c.x1) / 2 - cx) <= reach && /[\u3400-\u9fff]/.test(c.text) && !EMPTY_GLYPHS.has(c.text)));
}

/** Writes ■ into the text where a solid box was found: over the character read there, or inserted. */
function markTicks(lines: TextLine[], ticks: Box[]): TextLine[] {
  const out = lines.map((l) => ({ ...l, chars: [...l.chars] }));
  for (const t of ticks) {
    const cx = (t.x0 + t.x1) / 2;
    const line = out.find((l) => overlapY(l.box, t) >= (t.y1 - t.y0) * 0.5 && cx >= l.box.x0 - (t.x1 - t.x0) && cx <= l.box.x1 + (t.x1 - t.x0));
    const mark = { text: TICKED, x0: t.x0, x1: t.x1 };
    if (!line) {
      out.push({ text: TICKED, confidence: 0.9, minConfidence: 0.9, box: { ...t }, chars: [mark] });
      continue;
    }
    const at = line.chars.findIndex((c) => c.x0 <= cx && c.x1 >= cx);
    if (at >= 0 && (EMPTY_GLYPHS.has(line.chars[at]!.text) || TICK_GLYPHS.has(line.chars[at]!.text) || !/[\u3400-\u9fff]/.test(line.chars[at]!.text))) line.chars[at] = mark;
    else {
      const before = line.chars.filter((c) => (c.x0 + c.x1) / 2 < cx).length;
      line.chars.splice(before, 0, mark);
    }
    line.text = line.chars.map((c) => c.text).join("");
    line.box = union([line.box, t]);
  }
  return out;
}

/** A region's reading: its lines in order, visual lines joined, lines wrapped at its edge made one paragraph. */
function regionCell(c: TableCell, lines: TextLine[], lh: number, frac: (b: Box) => PageBox): PageCell {
  const rows: TextLine[][] = [];
  for (const l of [...lines].sort((a, b) => a.box.y0 - b.box.y0)) {
    const row = rows.find((r) => r.some((o) => overlapY(o.box, l.box) >= Math.min(o.box.y1 - o.box.y0, l.box.y1 - l.box.y0) * 0.5));
    if (row) row.push(l);
    else rows.push([l]);
  }
  const visual = rows.map((r) => {
    const ls = r.sort((a, b) => a.box.x0 - b.box.x0);
    const chars = ls.reduce((n, l) => n + l.chars.length, 0);
    const width = ls.reduce((n, l) => n + l.box.x1 - l.box.x0, 0);
    return { text: ls.map((l) => l.text).reduce(joinLines), right: Math.max(...ls.map((l) => l.box.x1)), height: Math.max(...ls.map((l) => l.box.y1 - l.box.y0)), charWidth: chars ? width / chars : lh };
  });
  // Where full lines end: the text's right margin, when some line reaches the cell's edge (the text wraps).
  const margin = Math.max(0, ...visual.map((v) => v.right));
  const wrapsAtAll = visual.some((v) => v.right >= c.box.x1 - Math.max(lh, v.height) * 1.5);
  const paras: string[] = [];
  let carry = "";
  for (const [i, v] of visual.entries()) {
    const text = carry ? joinLines(carry, v.text) : v.text;
    // A line reaching the cell's edge goes on, unless it ends a sentence; one inside an open parenthesis always does.
    const open = (text.match(/[（(]/g) ?? []).length > (text.match(/[）)]/g) ?? []).length;
    const next = visual[i + 1];
    // A line short of the margin by less than the next line's first unbreakable piece ((二）, 100人) was wrapped there.
    const pushed = wrapsAtAll && !!next && margin - v.right < (leadingUnit(next.text) + 0.5) * v.charWidth;
    const wraps = open || ((pushed || v.right >= c.box.x1 - Math.max(lh, v.height) * 1.5) && !/[。！？!?：:]$/.test(v.text));
    if (wraps) carry = text;
    else {
      paras.push(text);
      carry = "";
    }
  }
  if (carry) paras.push(carry);
  const confidence = lines.length ? leastConfidence(lines) : c.inked ? 0.2 : EMPTY_SURE;
  return {
    text: paras.join("\n"),
    box: frac(c.box),
    confidence,
    lines: lines.map((l) => ({ text: l.text, box: frac(l.box), confidence: round2(l.minConfidence) })),
    inked: c.inked,
  };
}

/**
 * How many characters wide the first piece of a line is that a typesetter
 * keeps together: opening brackets with the character after them, closing
 * punctuation with the one before, and a run of Latin letters or digits.
 */
function leadingUnit(line: string): number {
  const m = /^[（(《“‘〈【[]*(?:[A-Za-z0-9.,%@_-]+|.)[）)》”’〉】\]、，。；：！？,.;:!?]*/u.exec(line);
  const unit = m?.[0] ?? "";
  // Latin letters and digits are about half a Chinese character wide.
  return [...unit].reduce((n, ch) => n + (/[\x21-\x7e]/.test(ch) ? 0.5 : 1), 0);
}

/** Joins two pieces of one line or paragraph: no space inside Chinese text or a wrapped code, e-mail or number. */
export function joinLines(a: string, b: string): string {
  const cjkEdge = /[\u3000-\u9fff\uff00-\uffef]$/.test(a) || /^[\u3000-\u9fff\uff00-\uffef]/.test(b);
  const wrapped = /[-@._/#]$/.test(a) || /^[-@._/#]/.test(b) || (!/\s/.test(a) && !/\s/.test(b) && /[A-Za-z0-9]$/.test(a) && /^[A-Za-z0-9]/.test(b));
  return cjkEdge || wrapped ? a + b : `${a} ${b}`;
}

/** Cells grouped into rows by their top edge, left to right. */
function tableRows(cells: TableCell[]): TableCell[][] {
  const order = [...cells].sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0);
  const rows: { y: number; h: number; cells: TableCell[] }[] = [];
  for (const c of order) {
    const row = rows[rows.length - 1];
    const h = c.box.y1 - c.box.y0;
    // Cells of one row hang from the same rule: their tops differ by the rule's slant, not by a line of text.
    if (row && c.box.y0 - row.y <= Math.max(4, Math.min(row.h, h) * 0.3)) row.cells.push(c);
    else rows.push({ y: c.box.y0, h, cells: [c] });
  }
  return rows.map((r) => r.cells.sort((a, b) => a.box.x0 - b.box.x0));
}

/** A reading is as sure as its least certain character: one misread digit makes a code wrong. */
function leastConfidence(lines: TextLine[]): number {
  return round2(Math.min(...lines.map((l) => l.minConfidence)));
}

const centre = (b: Box) => ({ x: (b.x0 + b.x1) / 2, y: (b.y0 + b.y1) / 2 });
const contains = (b: Box, p: { x: number; y: number }) => p.x >= b.x0 && p.x <= b.x1 && p.y >= b.y0 && p.y <= b.y1;
const overlapY = (a: Box, b: Box) => Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
const union = (bs: Box[]): Box => ({ x0: Math.min(...bs.map((b) => b.x0)), y0: Math.min(...bs.map((b) => b.y0)), x1: Math.max(...bs.map((b) => b.x1)), y1: Math.max(...bs.map((b) => b.y1)) });
const round2 = (x: number) => Math.round(x * 100) / 100;
const round4 = (x: number) => Math.round(x * 10000) / 10000;

/** The page's text in reading order (cells of a row side by side), for finding which page it is. */
export function pageModelText(p: ScanPage): string {
  return p.items
    .map((i) => (i.kind === "row" ? i.cells.map((c) => c.text).filter(Boolean).join("  ") : i.kind === "blank" ? [i.label?.text, i.answer.text].filter(Boolean).join("  ") : i.text))
    .filter(Boolean)
    .join("\n");
}
