/** Whitespace of every width, including the ideographic space Word forms use to pad labels. */
export const WS = /[\s\u3000\u00a0\u200b\ufeff]+/g;

/** Trims every kind of space, including the ideographic one. */
export function trimAll(s: string): string {
  return s.replace(/^[\s\u3000\u00a0\u200b\ufeff]+|[\s\u3000\u00a0\u200b\ufeff]+$/g, "");
}

/**
 * The comparable form of a label: half-width, no spaces, no leading section
 * number (一、 / 1. / （一）), no trailing colon or required-field star.
 */
export function labelKey(s: string): string {
  return s
    .normalize("NFKC")
    .replace(WS, "")
    .replace(/^(?:[一二三四五六七八九十]+[、.]|\d+[、.]|\([一二三四五六七八九十\d]+\))/, "")
    .replace(/[*:。.]+$/, "")
    .replace(/^\*+/, "")
    .toLowerCase();
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

const EQUIV: Record<string, string> = {
  "(": "[（(]",
  "（": "[（(]",
  ")": "[）)]",
  "）": "[）)]",
  ",": "[，,]",
  "，": "[，,]",
  ":": "[：:]",
  "：": "[：:]",
  "、": "[、,，]",
  "/": "[/／、]",
  "?": "[？?]",
  "？": "[？?]",
};

/** A regex source matching a label with any spaces or line breaks between its characters and either width of punctuation. */
export function tolerantSource(label: string): string {
  return [...label.replace(WS, "")].map((c) => EQUIV[c] ?? escapeRe(c)).join("[\\s\\u3000\\u00a0]*");
}

/** Half-width, space-free text for comparing names (unit names, cover vs section one). */
export function compactKey(s: string): string {
  return s.normalize("NFKC").replace(WS, "").replace(/[“”"'‘’]/g, "");
}
