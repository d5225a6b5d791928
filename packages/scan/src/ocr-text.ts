import type { OcrWord } from "./ocr-pool.js";
import type { Box } from "./raster.js";

const CJK = "\\u3000-\\u303f\\u3400-\\u9fff\\uff00-\\uffef";

/** OCR puts spaces between Chinese characters: drop those, keep spaces between Latin words and digits. */
export function joinCjk(text: string): string {
  return text
    .replace(new RegExp(`(?<=[${CJK}])[ \\t]+(?=[${CJK}])`, "g"), "")
    .replace(new RegExp(`(?<=[${CJK}])[ \\t]+(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])[ \\t]+(?=[${CJK}])`, "g"), "")
    .replace(/[ \t]+\n/g, "\n")
    .trim();
}

/** Text with every space removed, for marker matching. */
export function squash(text: string): string {
  return text.replace(/\s+/g, "");
}

/** How much real Chinese the OCR saw: confident CJK characters (an upside-down page gives almost none). */
export function cjkConfidence(words: OcrWord[]): number {
  let n = 0;
  for (const w of words) if (w.confidence >= 70) n += (w.text.match(new RegExp(`[\\u3400-\\u9fff]`, "g")) ?? []).length;
  return n;
}

/** Median height of the words holding Chinese characters, in OCR image pixels (0 when none). */
export function textLineHeight(words: OcrWord[]): number {
  const hs = words.filter((w) => /[\u3400-\u9fff]/.test(w.text) && w.confidence >= 50).map((w) => w.bbox.y1 - w.bbox.y0);
  if (!hs.length) return 0;
  hs.sort((a, b) => a - b);
  return hs[hs.length >> 1]!;
}

export interface LabelHit {
  /** Box of the label 申报单位负责人（签字）： as read, in OCR image pixels. */
  box: Box;
  /** Height of a text line there. */
  lineHeight: number;
}

/**
 * The signature label: the word holding 签字 (or 签), extended over the
 * closing bracket and colon after it; else 负责人 plus room for （签字）：.
 */
export function findSignatureLabel(words: OcrWord[]): LabelHit | null {
  const idx = words.findIndex((w) => /签字|签|字\)|字）/.test(w.text));
  const anchorIdx = idx >= 0 ? idx : words.findIndex((w) => /负责|责人/.test(w.text));
  if (anchorIdx < 0) return null;
  const anchor = words[anchorIdx]!;
  const lineWords = words.filter((w) => w.line === anchor.line);
  const lh = Math.max(8, ...lineWords.filter((w) => /[\u3400-\u9fff]/.test(w.text)).map((w) => w.bbox.y1 - w.bbox.y0));
  const box: Box = { x0: anchor.bbox.x0, y0: anchor.bbox.y0, x1: anchor.bbox.x1, y1: anchor.bbox.y1 };
  for (const w of lineWords) {
    if (w.bbox.x0 < anchor.bbox.x0) {
      box.x0 = Math.min(box.x0, w.bbox.x0);
      continue;
    }
    if (w.bbox.x0 > anchor.bbox.x1 && w.bbox.x0 - box.x1 < lh * 1.5 && /^[)）:：\]】|]+$/.test(w.text)) box.x1 = Math.max(box.x1, w.bbox.x1);
  }
  if (idx < 0) box.x1 += lh * 3.5;
  box.y0 = Math.min(box.y0, anchor.bbox.y1 - lh);
  return { box, lineHeight: lh };
}

/**
 * Markers of the sign-off page; 2 or more make it. The bracketed labels
 * （签字） and （单位公章） count most: the instructions page also says
 * 申报单位负责人签字并加盖单位公章, but without the brackets.
 */
export function signoffScore(text: string): number {
  const t = squash(text);
  let n = 0;
  if (/[（(“《]签字|签字[）)]/.test(t)) n += 2;
  if (/[（(“《]单位公|[（(“《]公章|单位公章[）)]|位公章[）)]/.test(t)) n += 2;
  if (n === 0) return 0;
  if (/负责人/.test(t)) n++;
  if (/年.{0,8}月.{0,8}日/.test(t)) n++;
  return n;
}

/** Markers of the cover page. */
export function coverScore(text: string): number {
  const t = squash(text);
  let n = 0;
  if (/申报书|申报单位|申单位|报单位/.test(t)) n++;
  if (/项目名称|目名称/.test(t)) n++;
  if (/联系人|通讯地址|填报时间/.test(t)) n++;
  return n;
}

/** A date written as 2026年1月2日 (digits possibly on their own line), as YYYY-MM-DD. */
export function parseSignedDate(text: string): string | null {
  const t = text.replace(/[oO]/g, "0").replace(/[lI|]/g, "1");
  const m = /(20\d\d)\s*年?\D{0,12}?(\d{1,2})\s*月?\D{0,12}?(\d{1,2})(?!\d)/.exec(t);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
