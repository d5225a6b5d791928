import type { Column } from "./columns.js";
import { guardCell } from "./formula-guard.js";
import type { SubmissionRow } from "./rows.js";

function quote(v: string | number): string {
  const s = String(guardCell(v));
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * RFC 4180 CSV, CRLF line ends, UTF-8 with a byte-order mark: Excel reads the
 * BOM as "this is UTF-8" and keeps the Chinese intact.
 */
export function renderCsv(rows: readonly SubmissionRow[], columns: readonly Column[]): Buffer {
  const lines = [columns.map((c) => quote(c.header)).join(",")];
  for (const r of rows) lines.push(columns.map((c) => quote(c.value(r))).join(","));
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join("\r\n") + "\r\n", "utf8")]);
}
