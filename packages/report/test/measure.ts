// Measures the report on a large archive: the sample records repeated until
// there are about N submissions (default 1000). Prints times, sizes and peak
// memory. Run: npx tsx packages/report/test/measure.ts [N]
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadCall, type MessageResult } from "@intake/schema";
import { loadReport, reportColumns, reportLabels, renderCsv, renderStaticHtml, renderXlsx, reportView, writeReport } from "../src/index.js";
import { callPath, sampleArchive, putRecord } from "./sample-archive.js";

const target = Number(process.argv[2] ?? 1000);
const { root, archive, records } = await sampleArchive();
const perCopy = records.reduce((n, r) => n + r.submissions.length, 0);
for (let copy = 1; copy * perCopy < target; copy++) {
  for (const r of records) {
    const key = `${r.messageKey}-c${copy}`;
    const rec: MessageResult = JSON.parse(JSON.stringify(r).replaceAll(`messages/${r.messageKey}/`, `messages/${key}/`));
    rec.messageKey = key;
    rec.submissions.forEach((s) => (s.fields["cover.projectName"] = `${s.fields["cover.projectName"] ?? ""}（${copy}）`));
    putRecord(root, rec, undefined, undefined);
  }
}
const call = loadCall(callPath);
const labels = reportLabels(call);
let peak = process.memoryUsage().rss;
const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const time = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
  const t = performance.now();
  const v = await f();
  console.log(`${name.padEnd(14)} ${(performance.now() - t).toFixed(0).padStart(6)} ms`);
  return v;
};
const data = reportView(await time("load records", () => loadReport(archive)), call);
console.log(`rows           ${String(data.rows.length).padStart(6)} submissions, ${data.records.length} messages`);
await time("static html", () => renderStaticHtml(data, labels, archive));
await time("xlsx", () => renderXlsx(data.rows, reportColumns(labels), labels));
await time("csv", () => renderCsv(data.rows, reportColumns(labels)));
const out = join(root, "report");
await time("writeReport", () => writeReport({ archive, call, outDir: out }));
for (const f of ["index.html", "submissions.xlsx", "submissions.csv"]) console.log(`${f.padEnd(17)} ${(statSync(join(out, f)).size / 1024).toFixed(0).padStart(7)} KB`);
clearInterval(sample);
console.log(`peak RSS       ${(peak / 1048576).toFixed(0).padStart(6)} MB`);
rmSync(root, { recursive: true, force: true });
