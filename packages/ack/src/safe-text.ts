/**
 * Line breaks of every kind (CR, LF, NEL U+0085, LS U+2028, PS U+2029), other
 * C0/C1 controls, and bidi overrides. Any of them in a parsed value could
 * split a header or disguise text, so header values never keep them.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** One line of text safe for a header or a list item: unsafe characters become spaces, length capped in code points. */
export function oneLine(value: string | null | undefined, maxChars: number): string {
  if (!value) return "";
  // Cap before the regexes so that a 1 MB header costs no more than a short one.
  const head = value.length > maxChars * 4 + 64 ? value.slice(0, maxChars * 4 + 64) : value;
  const clean = head.replace(UNSAFE, " ").replace(/\s+/g, " ").trim();
  const chars = Array.from(clean);
  return chars.length > maxChars ? `${chars.slice(0, maxChars - 1).join("")}…` : clean;
}

/** Multi-line text for a body: keeps \n, drops other controls, caps the length. */
export function bodyText(value: string | null | undefined, maxChars: number): string {
  if (!value) return "";
  const clean = value
    .slice(0, maxChars * 2)
    .replace(/\r\n?|[\u0085\u2028\u2029]/g, "\n")
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, " ");
  const chars = Array.from(clean);
  return chars.length > maxChars ? `${chars.slice(0, maxChars - 1).join("")}…` : clean;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
