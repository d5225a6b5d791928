// The CSV as Excel and WPS users open it, checked with LibreOffice headless
// (installed by scripts/services/up.d/50-libreoffice.sh): each file is converted
// with the separator of a ","-locale and of a ";"-locale, type detection on
// (as those programs do), and the cells are read back.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { afterAll, describe, expect, it } from "vitest";
import { emptyFields, loadCall, type MessageResult } from "@intake/schema";
import { buildRows, renderCsv, reportColumns, reportLabels } from "../src/index.js";
import { callPath } from "./sample-archive.js";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "csv-office-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const labels = reportLabels(loadCall(callPath));

const INJECTION = "北京市海淀区;=cmd|' /C calc'!A0";
const record: MessageResult = {
  messageId: "<csv@example.org>", messageKey: "csv-1", kind: "submission", ack: true, receivedAt: "2026-01-14T16:55:10.000Z",
  submissions: [{
    word: "a.docx", scan: [], signoff: { signature: null, seal: null }, flags: [],
    fields: { ...emptyFields(), "unit.name": "中国林学会", "unit.creditCode": "911101080000000001", "unit.postalCode": "010008", "cover.mobile": "+8613800000000", "cover.phone": "1/1", "unit.address": INJECTION, "project.period": "3-4", "cover.filledDate": "2026-01-10", "funding.requestedAmountYuan": 120000 },
  }],
};

async function soffice(): Promise<string | null> {
  for (const bin of ["soffice", "libreoffice"]) {
    try {
      await run(bin, ["--version"], { timeout: 60_000 });
      return bin;
    } catch {
      /* next */
    }
  }
  return null;
}

async function cells(csvFile: string, separator: number, bin: string): Promise<Map<string, unknown>> {
  // Filter options: separator, quote ("), UTF-8 (76), start row 1, column formats (standard), language, quoted as text off, detect special numbers ON.
  const filter = `CSV:${separator},34,76,1,,0,false,true,true,false,false`;
  const profile = `file://${join(dir, `profile-${separator}`)}`;
  await run(bin, [`-env:UserInstallation=${profile}`, "--headless", "--infilter=" + filter, "--convert-to", "xlsx", "--outdir", join(dir, `out-${separator}`), csvFile], { timeout: 180_000 });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(dir, `out-${separator}`, csvFile.split("/").pop()!.replace(/\.csv$/, ".xlsx")));
  const ws = wb.worksheets[0]!;
  const header = (ws.getRow(1).values as unknown[]).slice(1).map((v) => String(v ?? ""));
  const out = new Map<string, unknown>();
  header.forEach((h, i) => out.set(h, ws.getRow(2).getCell(i + 1).value));
  out.set("__columns", ws.getRow(2).cellCount);
  out.set("__formulas", ws.getSheetValues().flat().filter((v) => typeof v === "object" && v !== null && "formula" in (v as object)).length);
  return out;
}

describe("csv in a spreadsheet program", () => {
  it("keeps 18-digit codes, leading zeros, '1/1' and phone numbers as text, and runs no formula, with ',' or ';' as the separator", async () => {
    const bin = await soffice();
    if (!bin) {
      console.log("skipped the LibreOffice check of the CSV: soffice not installed (scripts/services/up.d/50-libreoffice.sh installs it)");
      return;
    }
    const columns = reportColumns(labels);
    const file = join(dir, "submissions.csv");
    writeFileSync(file, renderCsv(buildRows([record]), columns));
    expect(readFileSync(file, "utf8")).not.toMatch(/;=cmd/);
    for (const sep of [44, 59]) {
      const c = await cells(file, sep, bin);
      const text = (h: string) => {
        const v = c.get(h) as { richText?: { text: string }[] } | string | undefined;
        return (typeof v === "object" && v?.richText ? v.richText.map((t) => t.text).join("") : String(v ?? "")).replace(/^\t/, "");
      };
      expect(c.get("__formulas"), `separator ${sep}`).toBe(0);
      if (sep === 59) continue; // a ";" locale splits a ","-file only at ";" inside quotes-free text: checked by the formula count
      expect(text(labels.field("unit.creditCode"))).toBe("911101080000000001");
      expect(text(labels.field("unit.postalCode"))).toBe("010008");
      expect(text(labels.field("cover.phone"))).toBe("1/1");
      expect(text(labels.field("project.period"))).toBe("3-4");
      expect(text(labels.field("cover.mobile"))).toMatch(/^'?\+8613800000000$/);
      expect(text(labels.field("unit.address"))).toBe("北京市海淀区;'=cmd|' /C calc'!A0");
      expect(c.get(labels.field("funding.requestedAmountYuan"))).toBe(120000);
    }
  });
});
