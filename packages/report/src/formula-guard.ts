// Spreadsheet programs run a cell that starts with one of these as a formula
// (OWASP "CSV injection"); a leading apostrophe makes it text.
const TRIGGER = /^[=+\-@\t\r]/;

/** The text with a leading ' when a spreadsheet would read it as a formula. */
export function guardCell<T extends string | number>(v: T): T | string {
  return typeof v === "string" && TRIGGER.test(v) ? `'${v}` : v;
}
