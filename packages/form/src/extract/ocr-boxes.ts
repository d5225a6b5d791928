import type { Call } from "@intake/schema";
import { tolerantSource } from "../normalise/text.js";
import { TICK_GLYPHS } from "./ticks.js";

/** What OCR makes of an empty box. */
const EMPTY_BOX = new Set([..."口□☐DOo0〇Ｏ"]);
/** What OCR makes of a hand-drawn or typed check mark (✔). */
const CHECK_MARK = /[Vv√✓✔]/;
/** Characters that are text, never a box read badly. */
const NOT_A_BOX = /[\s()（）[\]【】《》〈〉<>,.，。、;；:：!！?？"'“”‘’\-—_|/\\]/;

/** A label that tolerates one misread character (OCR reads 巩 as 珊), for labels of six characters or more. */
function fuzzySource(label: string): string {
  const chars = [...label.replace(/\s+/g, "")];
  if (chars.length < 6) return tolerantSource(label);
  const variants = [tolerantSource(label)];
  for (let i = 0; i < chars.length; i++) variants.push(tolerantSource(chars.slice(0, i).join("")) + "[\\s]*.[\\s]*" + tolerantSource(chars.slice(i + 1).join("")));
  return `(?:${variants.join("|")})`;
}

export interface OcrBoxes {
  /** Rewrites the box before each option of a line as □ or ☑; returns the line and how many options it holds. */
  typesLine(line: string): { line: string; options: number };
  /** Rewrites the boxes of 是/否 after a yes/no question. */
  yesNoLine(line: string): string;
}

interface OptionHit {
  at: number;
  length: number;
  /** The option's label as the template prints it, to put back over a misread one. */
  canonical: string | null;
}

function findOptions(line: string, options: { re: RegExp; label: string }[], from: number): OptionHit[] {
  const taken = new Array<boolean>(line.length).fill(false);
  const hits: OptionHit[] = [];
  for (const o of options) {
    o.re.lastIndex = from;
    for (let m = o.re.exec(line); m; m = o.re.exec(line)) {
      if (m[0].length === 0) break;
      let free = true;
      for (let i = m.index; i < m.index + m[0].length; i++) if (taken[i]) free = false;
      if (!free) continue;
      for (let i = m.index; i < m.index + m[0].length; i++) taken[i] = true;
      hits.push({ at: m.index, length: m[0].length, canonical: o.label });
    }
  }
  return hits.sort((a, b) => a.at - b.at);
}

/** Rewrites the character before each option as □ or ☑, and a misread option as its label. */
function markBoxes(line: string, hits: OptionHit[], from: number, strict: boolean): { line: string; boxes: number } {
  let out = line;
  let boxes = 0;
  const ends = new Set(hits.map((h) => h.at + h.length - 1));
  for (const h of [...hits].reverse()) {
    if (h.canonical) out = out.slice(0, h.at) + h.canonical + out.slice(h.at + h.length);
    let j = h.at - 1;
    while (j >= from && /\s/.test(out[j]!)) j--;
    if (j < from) continue;
    const c = out[j]!;
    if (TICK_GLYPHS.includes(c)) {
      boxes++;
      continue;
    }
    let glyph: string | null = null;
    if (EMPTY_BOX.has(c)) {
      // A check mark drawn on or before the box reads as V in front of it (V口, VO).
      let k = j - 1;
      while (k >= from && EMPTY_BOX.has(out[k]!)) k--;
      glyph = k >= from && CHECK_MARK.test(out[k]!) ? "☑" : "□";
    }
    // A box stands at the line's start, after a gap or right after the previous option.
    else if (!NOT_A_BOX.test(c) && (!strict || j === from || NOT_A_BOX.test(out[j - 1] ?? " ") || ends.has(j - 1))) glyph = "☑";
    if (glyph) {
      out = out.slice(0, j) + glyph + out.slice(j + 1);
      boxes++;
    }
  }
  return { line: out, boxes };
}

/** The call's options prepared for OCR lines. */
export function ocrBoxes(call: Call): OcrBoxes {
  const options = call.projectTypes
    .flatMap((t) => [t.label, ...t.aliases])
    .sort((a, b) => b.length - a.length)
    .map((label) => ({ re: new RegExp(fuzzySource(label), "g"), label }));
  const yesNo = ["是", "否"].map((label) => ({ re: new RegExp(label, "g"), label }));
  const questions = ["basis.priorWork", "basis.hasPartners", "funding.requested"].flatMap((k) => call.labels[k] ?? []);
  const questionRe = new RegExp(questions.map((q) => tolerantSource(q.replace(/[？?]$/, ""))).join("|"));
  return {
    typesLine(line) {
      const hits = findOptions(line, options, 0);
      const r = markBoxes(line, hits, 0, true);
      // Only a line with boxes lists the options; elsewhere the words are just text.
      return r.boxes > 0 ? { line: r.line, options: hits.length } : { line, options: 0 };
    },
    yesNoLine(line) {
      const q = questionRe.exec(line);
      if (!q) return line;
      const from = q.index + q[0].length;
      return markBoxes(line, findOptions(line, yesNo, from), from, false).line;
    },
  };
}
