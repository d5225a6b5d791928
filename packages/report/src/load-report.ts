import type { Logger } from "pino";
import { MessageResult } from "@intake/schema";
import type { ArchiveReader } from "./archive-reader.js";
import { buildRows, type SubmissionRow } from "./rows.js";

export interface ReportData {
  /** Every readable record, submissions or not. */
  records: MessageResult[];
  rows: SubmissionRow[];
}

export interface LoadReportOptions {
  /** Where unreadable records are reported; default: silent. */
  logger?: Logger;
}

/** Reads every record of the archive; a record that fails its schema is logged and left out, never fatal. */
export async function loadReport(archive: ArchiveReader, options: LoadReportOptions = {}): Promise<ReportData> {
  const records: MessageResult[] = [];
  for (const key of await archive.listMessages()) {
    let raw: unknown;
    try {
      raw = await archive.readRecord(key);
    } catch (err) {
      options.logger?.warn({ err, messageKey: key }, "record unreadable, left out of the report");
      continue;
    }
    if (raw === undefined || raw === null) continue;
    const parsed = MessageResult.safeParse(raw);
    if (!parsed.success) {
      options.logger?.warn({ messageKey: key, issues: parsed.error.issues.slice(0, 5) }, "record does not match the schema, left out of the report");
      continue;
    }
    records.push(parsed.data);
  }
  return { records, rows: buildRows(records) };
}
