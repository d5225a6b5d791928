import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import type { Journal } from "@intake/review";
import type { Call } from "@intake/schema";
import type { ArchiveReader } from "./archive-reader.js";
import { reportColumns } from "./columns.js";
import { renderCsv } from "./csv.js";
import { sortRows } from "./filters.js";
import { reportLabels } from "./labels.js";
import { loadReport } from "./load-report.js";
import { reportView } from "./report-view.js";
import { renderStaticHtml } from "./static-html.js";
import { renderXlsx } from "./xlsx.js";

export interface WriteReportOptions {
  archive: ArchiveReader;
  call: Call;
  /** Folder for index.html, submissions.xlsx and submissions.csv; created when missing. */
  outDir: string;
  /** The reviewers' journal: the files show the corrected records. Default: the machine's records alone. */
  journal?: Pick<Journal, "byMessageKey">;
  /** The web view's address, for links from the workbook; default none. */
  baseUrl?: string;
  logger?: Logger;
}

export interface WriteReportResult {
  submissions: number;
  messages: number;
  /** Archived emails without a usable record (listed in the files too). */
  problems: number;
  files: string[];
}

// Temp name then rename: a reader never sees half a file.
async function writeAtomic(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** Writes the report files from the archive and the journal. */
export async function writeReport(o: WriteReportOptions): Promise<WriteReportResult> {
  const labels = reportLabels(o.call);
  const view = reportView(await loadReport(o.archive, { logger: o.logger }), o.call, await o.journal?.byMessageKey());
  const columns = reportColumns(labels, { baseUrl: o.baseUrl });
  const rows = sortRows(view.rows, "received");
  await mkdir(o.outDir, { recursive: true });
  const files = [join(o.outDir, "index.html"), join(o.outDir, "submissions.xlsx"), join(o.outDir, "submissions.csv")];
  await writeAtomic(files[0]!, await renderStaticHtml(view, labels, o.archive, { logger: o.logger }));
  await writeAtomic(files[1]!, await renderXlsx(rows, columns, labels, { others: { records: view.records, problems: view.problems } }));
  await writeAtomic(files[2]!, renderCsv(rows, columns));
  return { submissions: view.rows.length, messages: view.records.length, problems: view.problems.length, files };
}
