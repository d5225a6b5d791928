import ExcelJS from "exceljs";
import type { Column } from "./columns.js";
import { COMPLETENESS } from "./completeness.js";
import type { MessageResult } from "@intake/schema";
import { localDateTime, localWallClock } from "./dates.js";
import { MESSAGE_KINDS, otherMessages, PROBLEM_REASONS } from "./html-messages.js";
import type { ProblemMessage } from "./load-report.js";
import { countRows, REVIEW_STATE_NAMES } from "./filters.js";
import type { ReportLabels } from "./labels.js";
import type { SubmissionRow } from "./rows.js";
import { visibleControls } from "./visible.js";

// Excel refuses these in sheet names and cuts them at 31 characters.
function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[:\\/?*[\]]/g, "_").slice(0, 28) || "未命名";
  let n = base;
  for (let i = 2; used.has(n.toLowerCase()); i++) n = `${base}(${i})`;
  used.add(n.toLowerCase());
  return n;
}

const CORRECTED_FILL: ExcelJS.Fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFFFF2CC" } };
/** Columns up to and including the project's name stay in view while scrolling right. */
const FROZEN_THROUGH = "项目名称";

function addRowsSheet(wb: ExcelJS.Workbook, name: string, rows: readonly SubmissionRow[], columns: readonly Column[], labels: ReportLabels): void {
  const xSplit = columns.findIndex((c) => c.header === FROZEN_THROUGH) + 1;
  const ws = wb.addWorksheet(name, { views: [{ state: "frozen", xSplit, ySplit: 1 }] });
  // Wrapped and top-aligned: plans and flag lists run over several lines.
  ws.columns = columns.map((c) => ({
    header: c.header,
    width: c.width,
    style: {
      alignment: { wrapText: true, vertical: "top" },
      ...(c.kind === "date" ? { numFmt: "yyyy-mm-dd hh:mm" } : c.kind === "number" ? { numFmt: "#,##0.##" } : {}),
    },
  }));
  for (const r of rows) {
    const row = ws.addRow(columns.map((c) => {
      const v = c.value(r);
      // Text cells are text in XLSX: no apostrophe, nothing is ever read as a formula.
      return typeof v === "string" ? visibleControls(v) : v;
    }));
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      const href = c.link?.(r);
      if (href && typeof cell.value === "string") cell.value = { text: cell.value, hyperlink: href, tooltip: "在审阅页面中打开" };
      const fix = c.correction?.(r);
      if (fix) {
        cell.fill = CORRECTED_FILL;
        cell.note = `审核人更正：${fix.byName ?? fix.by}，${localDateTime(fix.at, labels.timezone)}（${labels.timeZoneName}）\n理由：${visibleControls(fix.why)}`;
      }
    });
  }
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).alignment = { vertical: "middle", wrapText: true };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, rows.length + 1), column: columns.length } };
}

export interface WorkbookOptions {
  /** Title written on the summary sheet; default: the call's title. */
  title?: string;
  /** When the workbook is made; default now. */
  now?: Date;
  /** Emails without a project form, and emails without a usable record: a sheet of their own. */
  others?: { records: readonly MessageResult[]; problems: readonly ProblemMessage[] };
}

function addOthersSheet(wb: ExcelJS.Workbook, name: string, o: NonNullable<WorkbookOptions["others"]>, labels: ReportLabels): void {
  const ws = wb.addWorksheet(name, { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = [
    { header: `收到时间（${labels.timeZoneName}）`, width: 17, style: { numFmt: "yyyy-mm-dd hh:mm", alignment: { vertical: "top" } } },
    { header: "类别", width: 22 },
    { header: "发件人", width: 30 },
    { header: "主题", width: 40 },
    { header: "Message-ID", width: 36 },
  ];
  const text = (v: string | null | undefined) => visibleControls(v ?? "");
  for (const m of otherMessages(o.records)) ws.addRow([localWallClock(m.receivedAt, labels.timezone), MESSAGE_KINDS[m.kind] ?? m.kind, text(m.from), text(m.subject), text(m.messageId)]);
  for (const p of o.problems) ws.addRow([localWallClock(p.head.date, labels.timezone), PROBLEM_REASONS[p.reason], text(p.head.from), text(p.head.subject), ""]);
  ws.getRow(1).font = { bold: true };
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, ws.rowCount), column: 5 } };
}

function addSummary(wb: ExcelJS.Workbook, name: string, rows: readonly SubmissionRow[], labels: ReportLabels, o: WorkbookOptions): void {
  const counts = countRows(rows);
  const ws = wb.addWorksheet(name);
  ws.addRow([visibleControls(o.title ?? labels.title)]).font = { bold: true, size: 14 };
  ws.addRow(["生成时间", `${localDateTime((o.now ?? new Date()).toISOString(), labels.timezone)}（${labels.timeZoneName}）`]);
  ws.addRow(["申报总数", counts.total]);
  for (const c of COMPLETENESS) ws.addRow([labels.completeness(c), counts.byCompleteness.get(c) ?? 0]);
  for (const s of REVIEW_STATE_NAMES) ws.addRow([labels.reviewState(s), counts.byState.get(s) ?? 0]);
  ws.addRow([]);
  // Mechanism × flag: how many submissions of each mechanism carry each flag.
  const codes = [...counts.byFlag.keys()].sort((a, b) => (counts.byFlag.get(b) ?? 0) - (counts.byFlag.get(a) ?? 0));
  const mechs = [...labels.mechanismIds, ...[...counts.byMechanism.keys()].filter((k) => !labels.mechanismIds.includes(k))].filter((m) => counts.byMechanism.has(m));
  ws.addRow(["所属合作机制", "申报数", ...codes.map((c) => labels.flag(c))]).font = { bold: true };
  for (const m of mechs) {
    const mine = rows.filter((r) => (r.mechanism ?? "") === m);
    ws.addRow([labels.mechanism(m || null), mine.length, ...codes.map((c) => mine.filter((r) => r.flagCodes.includes(c)).length)]);
  }
  ws.addRow(["合计", counts.total, ...codes.map((c) => counts.byFlag.get(c) ?? 0)]).font = { bold: true };
  ws.columns = [{ width: 24 }, { width: 10 }, ...codes.map(() => ({ width: 14 }))];
}

/**
 * The workbook, sheets in this order: 汇总 (counts, mechanism × flag, when it
 * was made), 全部申报, one per mechanism with rows, 其他邮件 (emails without a
 * form, in time order, and those without a usable record) when given. Dates are dates (Beijing
 * time), amounts numbers, IDs text; the reference links to the web page;
 * corrected cells are shaded with a note saying who and why.
 */
export async function renderXlsx(rows: readonly SubmissionRow[], columns: readonly Column[], labels: ReportLabels, options: WorkbookOptions = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = options.now ?? new Date();
  const used = new Set<string>();
  addSummary(wb, sheetName("汇总", used), rows, labels, options);
  addRowsSheet(wb, sheetName("全部申报", used), rows, columns, labels);
  const byMech = new Map<string, SubmissionRow[]>();
  for (const r of rows) byMech.set(r.mechanism ?? "", [...(byMech.get(r.mechanism ?? "") ?? []), r]);
  const order = [...labels.mechanismIds, ...[...byMech.keys()].filter((k) => !labels.mechanismIds.includes(k))];
  for (const m of order) {
    const rs = byMech.get(m);
    if (rs?.length) addRowsSheet(wb, sheetName(labels.mechanism(m || null), used), rs, columns, labels);
  }
  if (options.others) addOthersSheet(wb, sheetName("其他邮件", used), options.others, labels);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
