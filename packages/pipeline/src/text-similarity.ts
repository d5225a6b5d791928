// Names read by OCR come with spaces between characters, full-width
// punctuation and the odd misread glyph, so comparisons work on a folded form
// and on character bigrams rather than on exact strings.

/** Folds a name for comparison: no white space or punctuation, half-width, lower case. */
export function foldName(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\s\p{P}\p{S}]+/gu, "")
    .toLowerCase();
}

function bigrams(s: string): string[] {
  const chars = [...s];
  if (chars.length < 2) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * How much of `needle` appears in `haystack`, from 0 to 1: the share of the
 * needle's character bigrams found there. 1 when the name is written in full.
 */
export function containment(needle: string, haystack: string): number {
  const n = bigrams(foldName(needle));
  if (n.length === 0) return 0;
  const h = new Set(bigrams(foldName(haystack)));
  let hit = 0;
  for (const b of n) if (h.has(b)) hit++;
  return hit / n.length;
}

/** Symmetric similarity of two names (Dice coefficient on bigrams), from 0 to 1. */
export function similarity(a: string, b: string): number {
  const x = bigrams(foldName(a));
  const y = bigrams(foldName(b));
  if (!x.length || !y.length) return 0;
  const counts = new Map<string, number>();
  for (const g of y) counts.set(g, (counts.get(g) ?? 0) + 1);
  let hit = 0;
  for (const g of x) {
    const c = counts.get(g) ?? 0;
    if (c > 0) {
      hit++;
      counts.set(g, c - 1);
    }
  }
  return (2 * hit) / (x.length + y.length);
}
