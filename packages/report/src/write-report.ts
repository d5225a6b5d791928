import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import type { Call } from "@intake/schema";
import type { ArchiveReader } from "./archive-reader.js";
import { reportColumns } from "./columns.js";
import { renderCsv } from "./csv.js";
import { reportLabels } from "./labels.js";
import { loadReport } from "./load-report.js";
import { renderStaticHtml } from "./static-html.js";
import { renderXlsx } from "./xlsx.js";

export interface WriteReportOptions {
  archive: ArchiveReader;
  call: Call;
  /** Folder for index.html, submissions.xlsx and submissions.csv; created when missing. */
  outDir: string;
  logger?: Logger;
}

export interface WriteReportResult {
  submissions: number;
  messages: number;
  files: string[];
}

// Temp name then rename: a reader never sees half a file.
async function writeAtomic(path: string, data: Buffer | string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

/** Writes the report files from the archive. */
export async function writeReport(o: WriteReportOptions): Promise<WriteReportResult> {
  const labels = reportLabels(o.call);
  const data = await loadReport(o.archive, { logger: o.logger });
  const columns = reportColumns(labels);
  await mkdir(o.outDir, { recursive: true });
  const files = [join(o.outDir, "index.html"), join(o.outDir, "submissions.xlsx"), join(o.outDir, "submissions.csv")];
  await writeAtomic(files[0]!, await renderStaticHtml(data, labels, o.archive, { logger: o.logger }));
  await writeAtomic(files[1]!, await renderXlsx(data.rows, columns, labels));
  await writeAtomic(files[2]!, renderCsv(data.rows, columns));
  return { submissions: data.rows.length, messages: data.records.length, files };
}
