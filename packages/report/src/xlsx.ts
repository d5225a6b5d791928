import ExcelJS from "exceljs";
import type { Column } from "./columns.js";
import { countRows } from "./filters.js";
import { flagWords } from "./flag-words.js";
import { guardCell } from "./formula-guard.js";
import type { ReportLabels } from "./labels.js";
import type { SubmissionRow } from "./rows.js";

// Excel refuses these in sheet names and cuts them at 31 characters.
function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[:\\/?*[\]]/g, "_").slice(0, 28) || "未命名";
  let n = base;
  for (let i = 2; used.has(n.toLowerCase()); i++) n = `${base}(${i})`;
  used.add(n.toLowerCase());
  return n;
}

function addRowsSheet(wb: ExcelJS.Workbook, name: string, rows: readonly SubmissionRow[], columns: readonly Column[]): void {
  const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  // Wrapped and top-aligned: plans and flag lists run over several lines.
  ws.columns = columns.map((c) => ({ header: c.header, width: c.width, style: { alignment: { wrapText: true, vertical: "top" } } }));
  for (const r of rows) ws.addRow(columns.map((c) => guardCell(c.value(r))));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).alignment = { vertical: "middle" };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows.length + 1), column: columns.length } };
}

export interface WorkbookOptions {
  /** Title written on the summary sheet; default: the call's title. */
  title?: string;
}

/**
 * The workbook, sheets in this order: 汇总 (summary), 全部申报, one per mechanism with rows.
 * The summary sheet (counts per mechanism and per flag), a sheet
 * of all submissions, and one per mechanism; one row per submission, frozen
 * header row with filters, flags in words.
 */
export async function renderXlsx(rows: readonly SubmissionRow[], columns: readonly Column[], labels: ReportLabels, options: WorkbookOptions = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(0);
  const used = new Set<string>();
  const counts = countRows(rows);
  const summary = wb.addWorksheet(sheetName("汇总", used));
  summary.columns = [{ width: 36 }, { width: 12 }];
  summary.addRow([guardCell(options.title ?? labels.title)]).font = { bold: true, size: 14 };
  summary.addRow(["申报总数", counts.total]);
  summary.addRow(["材料齐全", counts.complete]);
  summary.addRow([]);
  summary.addRow(["所属合作机制", "申报数"]).font = { bold: true };
  for (const [m, n] of counts.byMechanism) summary.addRow([guardCell(labels.mechanism(m || null)), n]);
  summary.addRow([]);
  summary.addRow(["问题", "申报数"]).font = { bold: true };
  for (const [code, n] of counts.byFlag) summary.addRow([guardCell(flagWords(code, labels)), n]);

  addRowsSheet(wb, sheetName("全部申报", used), rows, columns);
  const byMech = new Map<string, SubmissionRow[]>();
  for (const r of rows) byMech.set(r.mechanism ?? "", [...(byMech.get(r.mechanism ?? "") ?? []), r]);
  const order = [...labels.mechanismIds, ...[...byMech.keys()].filter((k) => !labels.mechanismIds.includes(k))];
  for (const m of order) {
    const rs = byMech.get(m);
    if (rs?.length) addRowsSheet(wb, sheetName(labels.mechanism(m || null), used), rs, columns);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
