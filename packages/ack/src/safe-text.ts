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

// Schemes a mail client turns into links; "://" and "www." anywhere; host names of ASCII labels.
const SCHEME = /\b(https?|ftps?|file|mailto|tel|sms|weixin|alipays?|javascript|data)(:\/{0,2})/gi;
const WWW = /\bwww\./gi;
const HOST = /\b((?:[a-z0-9](?:[a-z0-9-]{0,62})\.)+)([a-z]{2,24}|xn--[a-z0-9-]{1,59})\b/gi;

/**
 * Text from an email made inert before it is quoted back: no mail client
 * makes a link of it (hxxps[:]//pay[.]example[.]cn). The receipt goes out
 * from an official mailbox, so nothing in it may send a reader anywhere the
 * sender chose.
 */
export function defang(s: string): string {
  return s
    .replace(SCHEME, (_, scheme: string, sep: string) => `${scheme.replace(/^http/i, "hxxp").replace(/^ftp/i, "fxp")}[${sep.slice(0, 1)}]${sep.slice(1)}`)
    .replace(WWW, "www[.]")
    .replace(HOST, (_, labels: string, tld: string) => `${labels.replace(/\.(?!\])/g, "[.]")}${tld}`);
}

/** A file name quoted back: defanged, but its own extension left readable (申报书.docx). */
export function defangFileName(name: string): string {
  const m = /^(.*?)(\.[A-Za-z0-9]{1,6})$/.exec(name);
  return m ? `${defang(m[1]!)}${m[2]}` : defang(name);
}
