import { ackReference } from "@intake/ack";
import type { JournalEntry } from "@intake/review";
import type { Call } from "@intake/schema";
import type { ReportData } from "./load-report.js";
import { buildRows, type SubmissionRow } from "./rows.js";

/** The report as every view shows it: records ⊕ journal, as rows. */
export interface ReportView extends ReportData {
  rows: SubmissionRow[];
}

/** Joins the archive's records with the reviewers' journal. */
export function reportView(data: ReportData, call: Call, corrections?: ReadonlyMap<string, readonly JournalEntry[]>): ReportView {
  return { ...data, rows: buildRows(data.records, { corrections, reference: (key) => ackReference(call, key) }) };
}
