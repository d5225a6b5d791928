export { readHead, type ArchiveReader } from "./archive-reader.js";
export { isSafeRelPath } from "./safe-path.js";
export { reportLabels, type ReportLabels, type ReviewStateName } from "./labels.js";
export { completenessOf, COMPLETENESS, type Completeness } from "./completeness.js";
export { fieldText, signoffText } from "./field-text.js";
export { attachmentFlagWords, flagList, flagWords, flagReason, parseFlagKey, type FlagContext } from "./flag-words.js";
export { buildRows, rowId, messageRef, correctionOf, type SubmissionRow, type BuildRowsOptions } from "./rows.js";
export { loadReport, type ReportData, type LoadReportOptions, type ProblemMessage, type KnownRecord } from "./load-report.js";
export { reportView, type ReportView } from "./report-view.js";
export { readMessageText, readMessageHead, type MessageText, type MessageHead } from "./message-text.js";
export { localDate, localDateTime, localWallClock } from "./dates.js";
export {
  filterRows,
  sortRows,
  paginate,
  priorityOf,
  groupRows,
  countRows,
  GROUP_BYS,
  SORT_KEYS,
  REVIEW_STATE_NAMES,
  type RowFilter,
  type GroupBy,
  type SortKey,
  type Page,
  type RowCounts,
} from "./filters.js";
export { guardCell } from "./formula-guard.js";
export { visibleControls, hasHiddenControls } from "./visible.js";
export { reportColumns, correctionTarget, type Column, type CellValue, type ColumnOptions } from "./columns.js";
export { renderCsv } from "./csv.js";
export { renderXlsx, type WorkbookOptions } from "./xlsx.js";
export { html, raw, escapeHtml, SafeHtml } from "./html.js";
export { page, type PageOptions } from "./html-layout.js";
export { renderList, statusChips, type ListOptions } from "./html-list.js";
export { renderDetail, type DetailOptions, type ReviewForms } from "./html-detail.js";
export { renderOtherMessages, renderMessage, otherMessages, MESSAGE_KINDS } from "./html-messages.js";
export { pageMarks, scanPages, pageRotation, type PageMark } from "./page-marks.js";
export type { ReportLinks, FileKind, CropKind } from "./links.js";
export { readReceipts, defaultReceiptLocator, type Receipt, type ReceiptLocator } from "./receipt.js";
export { submissionFile, cropPath, imageType, contentDisposition, type ArchivedFile } from "./files.js";
export { REPORT_CSS } from "./styles.js";
export { wordHtml } from "./word-html.js";
export { renderStaticHtml, type StaticHtmlOptions } from "./static-html.js";
export { writeReport, type WriteReportOptions, type WriteReportResult } from "./write-report.js";
