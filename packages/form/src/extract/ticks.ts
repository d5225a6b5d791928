import { tolerantSource } from "../normalise/text.js";
import type { Run } from "../types.js";

/** Glyphs that mean "this box is ticked" (FIELDS.md), alone or before/after an empty box. */
export const TICK_GLYPHS = "☑■▣√✓✔☒⊠✅●◉⦿";
/** Glyphs of an empty box; OCR reads □ as 口. */
export const BOX_GLYPHS = "□☐◻○口";
const MARKS = new Set([...TICK_GLYPHS, ...BOX_GLYPHS]);
const TICKS = new Set([...TICK_GLYPHS]);

export interface TickOption<T> {
  value: T;
  labels: string[];
}

interface Hit<T> {
  value: T;
  start: number;
  end: number;
  mark: "ticked" | "box" | "none";
  bold: boolean;
}

/** Plain text with one bold flag per character. */
export function flatten(runs: Run[]): { text: string; bold: boolean[] } {
  let text = "";
  const bold: boolean[] = [];
  for (const r of runs) {
    text += r.text;
    for (let i = 0; i < r.text.length; i++) bold.push(r.bold);
  }
  return { text, bold };
}

function markBefore(text: string, start: number): "ticked" | "box" | "none" {
  let mark: "ticked" | "box" | "none" = "none";
  for (let i = start - 1; i >= 0; i--) {
    const c = text[i]!;
    if (/[\s\u3000]/.test(c)) {
      if (mark !== "none") break; // spaces before the box belong to the previous option
      continue;
    }
    if (!MARKS.has(c)) break;
    if (TICKS.has(c)) mark = "ticked";
    else if (mark === "none") mark = "box";
  }
  return mark;
}

/**
 * The options ticked in a run of text, in the order the options are given.
 * A tick glyph before an option (or before its box) ticks it; with boxes but
 * no tick, the bold options are the chosen ones; with no boxes at all, the
 * options left in the text are the chosen ones (the others were deleted), or
 * the bold ones when all were kept. Returns [] when nothing is ticked.
 */
export function tickedOptions<T>(text: string, bold: boolean[] | null, options: TickOption<T>[]): T[] {
  const taken = new Array<boolean>(text.length).fill(false);
  const hits: Hit<T>[] = [];
  const labelled = options
    .flatMap((o) => o.labels.map((l) => ({ o, l })))
    .sort((a, b) => b.l.length - a.l.length);
  for (const { o, l } of labelled) {
    if (hits.some((h) => h.value === o.value)) continue;
    const re = new RegExp(tolerantSource(l), "g");
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (m[0].length === 0) break;
      let free = true;
      for (let i = start; i < end; i++) if (taken[i]) free = false;
      if (!free) continue;
      for (let i = start; i < end; i++) taken[i] = true;
      const isBold = bold ? bold.slice(start, end).every((b, i) => b || /\s/.test(text[start + i]!)) : false;
      hits.push({ value: o.value, start, end, mark: markBefore(text, start), bold: isBold });
      break;
    }
  }
  hits.sort((a, b) => options.findIndex((o) => o.value === a.value) - options.findIndex((o) => o.value === b.value));
  if (hits.length === 0) return [];
  const ticked = hits.filter((h) => h.mark === "ticked");
  if (ticked.length) return ticked.map((h) => h.value);
  const bolds = hits.filter((h) => h.bold);
  if (bolds.length && bolds.length < hits.length) return bolds.map((h) => h.value);
  const anyBox = hits.some((h) => h.mark === "box");
  if (!anyBox && hits.length < options.length) return hits.map((h) => h.value);
  return [];
}

/** A yes/no question's answer from the text after the question; null when neither or both. */
export function yesNo(text: string, bold: boolean[] | null): boolean | null {
  const r = tickedOptions(text, bold, [
    { value: true, labels: ["是"] },
    { value: false, labels: ["否"] },
  ]);
  return r.length === 1 ? r[0]! : null;
}
