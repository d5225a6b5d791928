import { readFile } from "node:fs/promises";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIELD_KEYS, loadCall, type MessageResult } from "@intake/schema";
import { fieldText, flagWords, localDateTime, reportLabels, writeReport, type ReportLabels } from "../src/index.js";
import { callPath, sampleArchive, hostileRecord, putRecord, XSS } from "./sample-archive.js";

let root: string;
let records: MessageResult[];
let labels: ReportLabels;
let out: string;

beforeAll(async () => {
  const made = await sampleArchive();
  root = made.root;
  const base = made.records.find((r) => r.submissions.length === 1 && r.submissions[0]!.word)!;
  const hostile = hostileRecord(base);
  putRecord(root, hostile);
  records = [...made.records, hostile];
  const call = loadCall(callPath);
  labels = reportLabels(call);
  out = join(root, "out");
  const res = await writeReport({ archive: made.archive, call, outDir: out });
  expect(res.files.map((f) => f.slice(out.length + 1))).toEqual(["index.html", "submissions.xlsx", "submissions.csv"]);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const submissions = () => records.flatMap((r) => r.submissions.map((s) => ({ r, s })));

describe("workbook", () => {
  it("has a summary sheet, an all-submissions sheet and one sheet per mechanism, frozen headers and filters", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, "submissions.xlsx"));
    const names = wb.worksheets.map((w) => w.name);
    expect(names.slice(0, 2)).toEqual(["汇总", "全部申报"]);
    const mechs = new Set(submissions().map(({ s }) => labels.mechanism(s.fields["project.mechanism"])));
    expect(names.at(-1)).toBe("其他邮件");
    expect(new Set(names.slice(2, -1))).toEqual(mechs);
    for (const ws of wb.worksheets.slice(1, -1)) {
      // The header row and the columns through the project's name stay in view.
      expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1, xSplit: 5 });
      expect(ws.autoFilter).toBeTruthy();
    }
    const summary = wb.getWorksheet("汇总")!;
    const total = summary.getColumn(1).values.indexOf("申报总数");
    expect(summary.getRow(total).getCell(2).value).toBe(submissions().length);
  });

  it("holds every submission, cell by cell, under the form's Chinese labels", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, "submissions.xlsx"));
    const ws = wb.getWorksheet("全部申报")!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    expect(new Set(headers).size).toBe(headers.length);
    for (const k of FIELD_KEYS) expect(headers.some((h) => h === labels.field(k) || h.endsWith(`·${labels.field(k)}`)), k).toBe(true);
    expect(headers).toContain("申报单位");
    expect(headers).toContain("受理编号");
    expect(headers).toContain("核对状态");
    expect(ws.rowCount - 1).toBe(submissions().length);
    const col = (h: string) => (headers.indexOf(h) >= 0 ? headers.indexOf(h) : headers.findIndex((x) => x.endsWith(`·${h}`))) + 1;
    const seen = new Set<number>();
    const subs = submissions();
    for (let i = 2; i <= ws.rowCount; i++) {
      const row = ws.getRow(i);
      const unitCell = String(row.getCell(col("单位名称")).value ?? "");
      const project = String(row.getCell(col("项目名称")).value ?? "");
      const time = row.getCell(col("收到时间（北京时间）")).value;
      // A date cell holds Beijing wall-clock time in its UTC fields (see localWallClock).
      const shown = time instanceof Date ? time.toISOString().slice(0, 16).replace("T", " ") : "";
      const match = subs.find(({ r, s }, n) => !seen.has(n) && localDateTime(r.receivedAt, labels.timezone) === shown && (s.fields["unit.name"] ?? "") === unitCell && (s.fields["cover.projectName"] ?? "") === project);
      expect(match, `row ${i}: ${unitCell} / ${project}`).toBeTruthy();
      seen.add(subs.indexOf(match!));
      const { s } = match!;
      for (const k of FIELD_KEYS) {
        const v = s.fields[k];
        const cell = row.getCell(col(labels.field(k))).value;
        if (v === null) expect(cell ?? "", k).toBe("");
        else if (typeof v === "number") expect(cell, k).toBe(v);
        else if (typeof v === "string" && k !== "project.mechanism") expect(cell, k).toBe(v);
        else expect(cell, k).toBe(String(fieldText(s.fields, k, labels)));
      }
      const flagsCell = String(row.getCell(col("问题")).value ?? "");
      for (const f of s.flags) expect(flagsCell).toContain(flagWords(f, labels));
      expect(row.getCell(col("所属合作机制")).value).toBe(labels.mechanism(s.fields["project.mechanism"]));
    }
  });

  it("keeps formulas out: values that start with = + - @ are text cells as written, with no visible apostrophe", async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, "submissions.xlsx"));
    const ws = wb.getWorksheet("全部申报")!;
    const values = ws.getSheetValues().flatMap((r) => (Array.isArray(r) ? r : []));
    expect(values).toContain(XSS.formula);
    expect(values).toContain("+8613800000000");
    expect(values).toContain("@SUM(A1:A2)\n-2+3");
    for (const v of values) expect(typeof v === "object" && v !== null && "formula" in v).toBe(false);
  });
});

function guard(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

describe("csv", () => {
  it("is UTF-8 with a BOM, Chinese intact, one line per submission, guarded against formulas", async () => {
    const buf = await readFile(join(out, "submissions.csv"));
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const wb = new ExcelJS.Workbook();
    const ws = await wb.csv.readFile(join(out, "submissions.csv"), { parserOptions: { ignoreEmpty: false } } as any);
    const header = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header[0]!.replace(/^\uFEFF/, "")).toBe("受理编号");
    expect(header).toContain(labels.field("project.countries"));
    expect(ws.rowCount - 1).toBe(submissions().length);
    const text = buf.toString("utf8");
    for (const { s } of submissions()) if (s.fields["cover.projectName"]) expect(text).toContain(guard(s.fields["cover.projectName"]).replace(/"/g, '""').replace(/\bonerror=/, "onerror="));
    expect(text).toContain(`"'${XSS.formula.replace(/"/g, '""')}"`);
    expect(text).not.toMatch(/(^|,)[=+@]/m);
  });
});

describe("static html", () => {
  it("shows every submission, escapes every value, runs no script and loads nothing remote", async () => {
    const page = await readFile(join(out, "index.html"), "utf8");
    for (const { s } of submissions().slice(0, -1)) expect(page).toContain(s.fields["cover.projectName"]!);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<svg|<img src=x/i);
    expect(page).not.toMatch(/<[^>]*\s(onerror|onload)=/i);
    expect(page).toContain("&lt;script&gt;alert(&quot;unit&quot;)&lt;/script&gt;某学会");
    expect(page).toContain("&lt;img src=x onerror=alert(&quot;project&quot;)&gt;交流项目");
    expect(page).toContain("&quot;&gt;&lt;svg onload=alert(&quot;contact&quot;)&gt;");
    // A checker's own words stay in the logs; reviewers read the call's hint.
    expect(page).not.toContain("not a phone");
    expect(page).toContain("应为固定电话号码");
    expect(page).toContain(`Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:;`);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//i);
    // The seal crops are inlined so the file stands alone.
    expect(page).toMatch(/<img src="data:image\/png;base64,/);
    expect(page).toContain("未填写");
  });
});
