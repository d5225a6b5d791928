import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import { createOcrPool, inspectScan, sniffType, type OcrPool, type ScanFile } from "../src/index.js";
import { sharedDir } from "../scripts/corpus-scans.js";

const hostile = (id: string) => fs.readFileSync(path.join(sharedDir, "corpus-hostile", `${id}.eml`));
const expected = (id: string) => JSON.parse(fs.readFileSync(path.join(sharedDir, "corpus-hostile", "expected", `${id}.json`), "utf8")) as { flag: string | null };

/** The scanned-copy attachment of a hostile message, typed from its bytes as the caller does (declared type when they match nothing). */
async function scanOf(id: string): Promise<ScanFile[]> {
  const mail = await simpleParser(hostile(id));
  return mail.attachments
    .filter((a) => /\.(pdf|jpe?g|png)$/i.test(a.filename ?? ""))
    .map((a) => ({ name: a.filename!, type: sniffType(a.content) ?? (/\.pdf$/i.test(a.filename!) ? "pdf" : "jpeg"), content: a.content }));
}

describe("hostile scanned copies", () => {
  let ocr: OcrPool;
  beforeAll(async () => {
    ocr = await createOcrPool();
  });
  afterAll(async () => {
    await ocr.close();
  });

  for (const id of ["hd-06-scan-is-exe", "hd-08-pdf-encrypted", "hd-12-jpeg-decompression-bomb"]) {
    it(`${id}: refused with the expected flag, nothing read`, async () => {
      const files = await scanOf(id);
      expect(files.length).toBeGreaterThan(0);
      const t = Date.now();
      const r = await inspectScan(files, { ocr });
      expect(Date.now() - t).toBeLessThan(10_000);
      expect(r.readable).toBe(false);
      expect(r.pagesRead).toBe(0);
      // A refused file decides nothing: its flag says why, no absence is claimed.
      expect(r.signature.outcome).toBe("undecided");
      expect(r.seal.outcome).toBe("undecided");
      expect(r.flags.map((f) => f.code)).toContain(expected(id).flag);
      expect(r.flags[0]?.file).toBe(files[0]!.name);
    });
  }

  it("hd-10: a PDF with a script on opening and a crafted FontMatrix is flagged for reviewers and still read", async () => {
    const files = await scanOf("hd-10-pdf-js-fontmatrix");
    const r = await inspectScan(files, { ocr });
    const flag = r.flags.find((f) => f.code === "suspicious-attachment");
    expect(flag).toMatchObject({ file: files[0]!.name, notice: true });
    expect(flag?.detail).toMatch(/JavaScript/);
    expect(flag?.detail).toMatch(/打开文件时自动执行/);
    expect(flag?.detail).toMatch(/字体矩阵/);
    expect(r.pagesRead).toBeGreaterThan(0);
  });

  it("hd-11: a PDF of 2000 pages is read only up to the page limit, in bounded time", async () => {
    const files = await scanOf("hd-11-pdf-many-pages");
    const t = Date.now();
    const r = await inspectScan(files, { ocr, limits: { pages: 10 } });
    expect(Date.now() - t).toBeLessThan(20_000);
    expect(r.pages).toBeGreaterThanOrEqual(2000);
    expect(r.pagesRead).toBeLessThanOrEqual(10);
    // Pages past the cap were not read: nothing about them is "not found".
    expect(r.signature.outcome).toBe("undecided");
    expect(r.seal.outcome).toBe("undecided");
    expect(r.unread.length).toBeGreaterThan(1900);
  });

  it("a truncated PDF is unreadable, not a crash", async () => {
    const files = await scanOf("hd-05-docx-broken-xml");
    const pdf = files.find((f) => f.type === "pdf")!;
    const cut = { ...pdf, content: pdf.content.subarray(0, 300) };
    const r = await inspectScan([cut], { ocr });
    expect(r.readable).toBe(false);
    expect(r.flags.map((f) => f.code)).toContain("unreadable-attachment");
  });
});
