import iconv from "iconv-lite";

const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;
/**
 * What a Chinese font's codes look like when read through a Latin encoding:
 * Latin-1 and Latin Extended letters, the Mac and Windows symbol sets, private
 * use, replacement and control characters.
 */
const NOISE = /[\u0080-\u024f\u02c0-\u02ff\u0370-\u03ff\u2013-\u2044\u2122-\u22ff\u25ca\ue000-\uf8ff\ufb01\ufb02\ufffd\u0000-\u0008\u000e-\u001f]/u;

export interface TextQuality {
  /** Visible characters looked at. */
  chars: number;
  cjk: number;
  noise: number;
  /** Too much noise for real text: the layer is not to be believed. */
  garbled: boolean;
}

/**
 * The mojibake test: the share of CJK ideographs against Latin-1-like noise
 * among the visible characters. Chinese text is mostly ideographs, English
 * mostly ASCII; a layer where the noise is a fifth or more, and more than the
 * ideographs, is a font's codes read through the wrong map.
 */
export function textQuality(text: string): TextQuality {
  let chars = 0;
  let cjk = 0;
  let noise = 0;
  for (const c of text) {
    if (/\s/u.test(c)) continue;
    chars++;
    if (CJK.test(c)) cjk++;
    else if (NOISE.test(c)) noise++;
  }
  return { chars, cjk, noise, garbled: chars > 0 && noise >= chars * 0.2 && noise > cjk };
}

/** Single-byte maps a PDF reader may have read GBK codes through (pdf.js uses the Mac one for symbolic fonts). */
const SINGLE_BYTE = ["win1252", "macintosh", "latin1"];
const reverse = new Map<string, Map<string, number>>();

function reverseMap(encoding: string): Map<string, number> {
  let m = reverse.get(encoding);
  if (m) return m;
  m = new Map();
  for (let b = 0; b < 256; b++) {
    const c = iconv.decode(Buffer.of(b), encoding);
    if (c === "\ufffd") continue;
    // pdf.js hands text out NFKC-normalised: µ as μ, the ﬂ ligature as "fl".
    for (const form of [c, c.normalize("NFKC")]) if (!m.has(form)) m.set(form, b);
  }
  reverse.set(encoding, m);
  return m;
}

/**
 * The text again as GBK, when a garbled layer is GBK codes read one byte at
 * a time (old Chinese producers write SimSun as a simple font): for each
 * single-byte map, turn the characters back into bytes and decode those as
 * GBK; kept only when that reads as Chinese. Null when no map does.
 */
export function repairedText(text: string): string | null {
  let best: { text: string; cjk: number } | null = null;
  for (const enc of SINGLE_BYTE) {
    const map = reverseMap(enc);
    const lines: string[] = [];
    let missing = 0;
    let total = 0;
    for (const line of text.split("\n")) {
      const bytes: number[] = [];
      const chars = [...line];
      for (let i = 0; i < chars.length; i++) {
        total++;
        // A ligature's two letters stand for one byte: the longer match first.
        const pair = map.get(chars[i]! + (chars[i + 1] ?? ""));
        if (pair !== undefined && chars[i + 1] !== undefined && !/[a-z]/i.test(chars[i - 1] ?? "")) {
          bytes.push(pair);
          i++;
          continue;
        }
        const b = map.get(chars[i]!);
        if (b === undefined) missing++;
        else bytes.push(b);
      }
      lines.push(iconv.decode(Buffer.from(bytes), "gbk"));
    }
    if (missing > total * 0.05) continue;
    const out = lines.join("\n");
    const q = textQuality(out);
    const bad = [...out].filter((c) => c === "\ufffd").length;
    if (q.chars && q.cjk >= q.chars * 0.5 && bad <= q.chars * 0.02 && (!best || q.cjk > best.cjk)) best = { text: out, cjk: q.cjk };
  }
  return best?.text ?? null;
}
