// Characters that change how text around them is drawn without being seen:
// bidi embeddings, overrides and isolates, marks, zero-width characters. In a
// file name they make "\u202egpj.exe" read as "exe.jpg".
const HIDDEN = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]/g;

/** The text with every invisible formatting character written out as `\uXXXX`, so reviewers see it is there. */
export function visibleControls(s: string): string {
  return s.replace(HIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}

/** True when the text holds such a character. */
export function hasHiddenControls(s: string): boolean {
  HIDDEN.lastIndex = 0;
  const r = HIDDEN.test(s);
  HIDDEN.lastIndex = 0;
  return r;
}
