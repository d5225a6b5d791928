// Spreadsheet programs run a cell that starts with one of these as a formula
// (OWASP "CSV injection"); a leading apostrophe makes it text.
const TRIGGER = /^[=+\-@\t\r]/;
// In locales whose list separator is ";" (or when a file is split on tabs or |),
// the text after a separator inside one of our cells starts a cell of its own.
const AFTER_SEPARATOR = /([,;\t|])(\s*)(?=[=+\-@])/g;

/**
 * The text with a leading ' where a spreadsheet could read a formula: at its
 * start, and after any separator inside it, for programs that split a cell
 * where we did not.
 */
export function guardCell<T extends string | number>(v: T): T | string {
  if (typeof v !== "string") return v;
  const inner = v.replace(AFTER_SEPARATOR, "$1$2'");
  return TRIGGER.test(inner) ? `'${inner}` : inner;
}
