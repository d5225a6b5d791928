import type { OcrWord } from "./ocr-pool.js";
import { blobs } from "./blobs.js";
import type { Box } from "./raster.js";

/** Darkest paper may be and still not count as a box's outline (0–255 luminance). */
const OUTLINE_INK = 175;

/** The glyph a ticked box is written as in the text (FIELDS.md's ■). */
export const TICKED = "■";

/**
 * The solid squares (ticked boxes, ■) of a grey image: blobs of ink about a
 * character's size, as wide as tall, filling their box. No Chinese character
 * is a solid block, and OCR often drops this one glyph or reads it as a
 * character, so it is found from the pixels instead.
 */
export function findTickedBoxes(grey: Uint8Array, w: number, h: number, charHeight: number): Box[] {
  const ink = new Uint8Array(w * h);
  for (let i = 0; i < ink.length; i++) ink[i] = grey[i]! < 128 ? 1 : 0;
  const out: Box[] = [];
  // A ■ typed in the text is often set smaller than the characters (about half their height;
  // `charHeight` is a text line's box, taller than its characters).
  const min = Math.max(4, charHeight * 0.25);
  const max = Math.max(min + 2, charHeight * 1.2);
  // 8-connected: a blurred square's corners touch only diagonally.
  for (const { x0, y0, x1, y1, area } of blobs(ink, w, h, { diagonal: true })) {
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    if (bw < min || bh < min || bw > max || bh > max) continue;
    if (bw / bh < 0.75 || bw / bh > 1.33) continue;
    // Solid: a bold character at low resolution is dense, but not a block.
    if (area / (bw * bh) < 0.9) continue;
    out.push({ x0, y0, x1: x1 + 1, y1: y1 + 1 });
  }
  return out;
}

/**
 * Paints the boxes white, so that OCR neither drops them nor reads them as
 * characters (国, 昌, 回…); markTickedBoxes puts them back as ■.
 */
export function eraseBoxes(grey: Uint8Array, w: number, boxes: Box[]): Uint8Array {
  // The blurred rim of a scanned box reaches past its dark core.
  const PAD = 3;
  const out = Uint8Array.from(grey);
  const h = grey.length / w;
  for (const b of boxes)
    for (let y = Math.max(0, b.y0 - PAD); y < Math.min(h, b.y1 + PAD); y++) out.fill(255, y * w + Math.max(0, b.x0 - PAD), y * w + Math.min(w, b.x1 + PAD));
  return out;
}

/** Puts a ■ word into the OCR words at each erased box, splitting a word that runs across it. */
export function markTickedBoxes(words: OcrWord[], boxes: Box[]): OcrWord[] {
  let out = words.map((w) => ({ ...w }));
  for (const b of boxes) {
    const bh = b.y1 - b.y0;
    const cx = (b.x0 + b.x1) / 2;
    const mark: OcrWord = { text: TICKED, confidence: 90, bbox: { ...b }, line: -1, symbols: [{ text: TICKED, bbox: { ...b } }] };
    const sameLine = out.filter((w) => Math.min(w.bbox.y1, b.y1) - Math.max(w.bbox.y0, b.y0) >= bh * 0.5);
    const near = sameLine[0] ?? nearestLine(out, b);
    if (!near || Math.abs((near.bbox.y0 + near.bbox.y1) / 2 - (b.y0 + b.y1) / 2) > bh) continue;
    mark.line = near.line;
    const across = sameLine.find((w) => w.bbox.x0 < cx && w.bbox.x1 > cx && (w.symbols?.length ?? 0) > 1);
    if (across) {
      const syms = across.symbols!;
      const left = syms.filter((s) => (s.bbox.x0 + s.bbox.x1) / 2 < cx);
      const right = syms.filter((s) => (s.bbox.x0 + s.bbox.x1) / 2 >= cx);
      if (left.length && right.length) {
        out = out.filter((w) => w !== across);
        out.push({ ...across, text: left.map((s) => s.text).join(""), symbols: left, bbox: spanOf(left) });
        out.push({ ...across, text: right.map((s) => s.text).join(""), symbols: right, bbox: spanOf(right) });
      }
    }
    out.push(mark);
  }
  return out.sort((a, b) => a.line - b.line || a.bbox.x0 - b.bbox.x0);
}

function spanOf(symbols: { bbox: Box }[]): Box {
  return {
    x0: Math.min(...symbols.map((s) => s.bbox.x0)),
    y0: Math.min(...symbols.map((s) => s.bbox.y0)),
    x1: Math.max(...symbols.map((s) => s.bbox.x1)),
    y1: Math.max(...symbols.map((s) => s.bbox.y1)),
  };
}

function nearestLine(words: OcrWord[], b: Box): OcrWord | undefined {
  const cy = (b.y0 + b.y1) / 2;
  let best: OcrWord | undefined;
  for (const w of words) if (!best || Math.abs((w.bbox.y0 + w.bbox.y1) / 2 - cy) < Math.abs((best.bbox.y0 + best.bbox.y1) / 2 - cy)) best = w;
  return best;
}

/**
 * Outlined boxes with a mark inside (☒, ▣, a tick drawn in the box): a
 * square outline about a character's size whose inside holds ink. Many
 * Chinese characters look the same (回, 国), so the caller keeps only those
 * where OCR read no character.
 */
export function findMarkedBoxes(grey: Uint8Array, w: number, h: number, charHeight: number): Box[] {
  // A box's outline is a hairline: blurred in a photo it is grey, not black.
  const ink = new Uint8Array(w * h);
  for (let i = 0; i < ink.length; i++) ink[i] = grey[i]! < OUTLINE_INK ? 1 : 0;
  const out: Box[] = [];
  const min = Math.max(6, charHeight * 0.3);
  const max = Math.max(min + 2, charHeight * 1.1);
  for (const { x0, y0, x1, y1, area } of blobs(ink, w, h, { diagonal: true })) {
    const bw = x1 - x0 + 1;
    const bh = y1 - y0 + 1;
    if (bw < min || bh < min || bw > max || bh > max || bw / bh < 0.75 || bw / bh > 1.33) continue;
    if (area / (bw * bh) >= 0.9) continue;
    // Every side of the outline is inked nearly all along.
    const band = Math.max(1, Math.round(Math.min(bw, bh) * 0.12));
    const side = (horizontal: boolean, from: number) => {
      let hit = 0;
      const len = horizontal ? bw : bh;
      for (let i = 0; i < len; i++) {
        let any = false;
        for (let d = 0; d < band && !any; d++) {
          const x = horizontal ? x0 + i : from === 0 ? x0 + d : x1 - d;
          const y = horizontal ? (from === 0 ? y0 + d : y1 - d) : y0 + i;
          any = ink[y * w + x] === 1;
        }
        if (any) hit++;
      }
      return hit / len;
    };
    if (side(true, 0) < 0.85 || side(true, 1) < 0.85 || side(false, 0) < 0.85 || side(false, 1) < 0.85) continue;
    const inset = Math.max(band + 1, Math.round(Math.min(bw, bh) * 0.22));
    let inner = 0;
    let n = 0;
    for (let y = y0 + inset; y <= y1 - inset; y++)
      for (let x = x0 + inset; x <= x1 - inset; x++) {
        inner += ink[y * w + x]!;
        n++;
      }
    if (n > 0 && inner / n >= 0.12) out.push({ x0, y0, x1: x1 + 1, y1: y1 + 1 });
  }
  return out;
}
