import type { CellValue, Column } from "./columns.js";
import { guardCell } from "./formula-guard.js";
import type { SubmissionRow } from "./rows.js";
import { visibleControls } from "./visible.js";

// Text Excel and WPS would turn into something else when opening a CSV: long
// digit strings (18-digit credit codes become 9.11E+17), leading zeros, "1/1"
// and other dates, fractions, percentages, times, exponents.
const COERCED = /^[\s+-]*(?:\d[\d\s,./:%-]*|\d+(?:\.\d+)?[eE][+-]?\d+)$/;

function cellText(v: CellValue, kind: Column["kind"]): string {
  if (v === null) return "";
  if (v instanceof Date) {
    // The wall-clock time in the call's zone (see localWallClock): a date Excel reads as one.
    return v.toISOString().slice(0, 16).replace("T", " ");
  }
  if (typeof v === "number" && kind === "number") return String(v);
  const s = visibleControls(String(v));
  // A tab in front keeps it as text in Excel and WPS (they hide it); a formula guard wins.
  const guarded = guardCell(s);
  if (guarded !== s) return guarded as string;
  return COERCED.test(s) ? `\t${s}` : s;
}

/** Quoted whenever it holds a separator of any locale, a quote, a line break, a tab or a formula trigger anywhere. */
function quote(s: string): string {
  return /[",;\t\r\n=+\-@|]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * RFC 4180 CSV, CRLF line ends, UTF-8 with a byte-order mark: Excel reads the
 * BOM as "this is UTF-8" and keeps the Chinese intact.
 */
export function renderCsv(rows: readonly SubmissionRow[], columns: readonly Column[]): Buffer {
  const lines = [columns.map((c) => quote(cellText(c.header, "text"))).join(",")];
  for (const r of rows) lines.push(columns.map((c) => quote(cellText(c.value(r), c.kind))).join(","));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join("\r\n") + "\r\n", "utf8")]);
}
