/** Mainland mobile: 11 digits starting 1[3-9], optionally +86 and separators. */
export function mobileValid(s: string): boolean {
  const t = s.normalize("NFKC").replace(/[\s\-()]/g, "").replace(/^\+?86/, "");
  return /^1[3-9]\d{9}$/.test(t);
}

/** Landline with optional area code and extension (010-62013138, (0571)87654321, 0755 8888 6666 转 123); a mobile also counts. */
export function phoneValid(s: string): boolean {
  const t = s.normalize("NFKC").trim();
  if (mobileValid(t)) return true;
  const c = t.replace(/\s+/g, "").replace(/^\+?86-?/, "");
  return /^(?:\(?0\d{2,3}\)?-?)?[2-9]\d{6,7}(?:(?:-|转|ext\.?)\d{1,6})?$/i.test(c) || /^[48]00-?\d{3}-?\d{4}$/.test(c);
}

/** An e-mail address as written (a full-width ＠ or a missing dot is wrong). */
export function emailValid(s: string): boolean {
  return /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/.test(s.trim());
}

/** Six digits. */
export function postcodeValid(s: string): boolean {
  return /^\d{6}$/.test(s.normalize("NFKC").trim());
}

/** An address carrying a 6-digit postcode somewhere (邮编：100081, （100081）). */
export function addressHasPostcode(s: string): boolean {
  return /(?<!\d)\d{6}(?!\d)/.test(s.normalize("NFKC"));
}
