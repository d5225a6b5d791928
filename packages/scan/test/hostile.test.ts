import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simpleParser } from "mailparser";
import { createOcrPool, inspectScan, sniffType, type OcrPool, type ScanFile } from "../src/index.js";
import { describeShared, sharedPath } from "../../../test/support/shared.js";
import { materials, scanThreats } from "../../../test/support/hostile.js";

const hostile = (id: string) => fs.readFileSync(sharedPath("corpus-hostile", `${id}.eml`));
const expected = (id: string) => JSON.parse(fs.readFileSync(sharedPath("corpus-hostile", "expected", `${id}.json`), "utf8")) as { flag: string | null };

/** The scanned-copy attachment of a message, typed from its bytes as the caller does (declared type when they match nothing). */
async function scanOf(eml: Buffer): Promise<ScanFile[]> {
  const mail = await simpleParser(eml);
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

  it("refuses each scanned-copy threat built here with its flag, nothing read", async () => {
    // A PDF with a script is not refused: it is named for reviewers and read (below).
    const threats = scanThreats(await materials()).filter((h) => h.flag && !h.id.startsWith("zip-") && h.id !== "pdf-javascript");
    expect(threats.length).toBeGreaterThanOrEqual(2);
    for (const h of threats) {
      const files = await scanOf(h.eml);
      expect(files.length, h.id).toBeGreaterThan(0);
      const r = await inspectScan(files, { ocr });
      expect(r.readable, h.id).toBe(false);
      expect(r.pagesRead).toBe(0);
      // A refused file decides nothing: its flag says why, no absence is claimed.
      expect(r.signature.outcome).toBe("undecided");
      expect(r.seal.outcome).toBe("undecided");
      expect(r.flags.map((f) => f.code), h.id).toContain(h.flag);
      expect(r.flags[0]?.file).toBe(files[0]!.name);
    }
  });

  it("names a PDF's script on opening for reviewers and still reads it", async () => {
    const files = await scanOf(scanThreats(await materials()).find((h) => h.id === "pdf-javascript")!.eml);
    const r = await inspectScan(files, { ocr });
    expect(r.pages).toBe(1);
    expect(r.flags).toEqual([expect.objectContaining({ code: "suspicious-attachment", reason: "active-content", detail: expect.stringMatching(/JavaScript.*打开文件时自动执行/) })]);
  });

  it("reads a PDF of 2000 pages built here only up to the page limit", async () => {
    const files = await scanOf(scanThreats(await materials()).find((h) => h.id === "pdf-many-pages")!.eml);
    const r = await inspectScan(files, { ocr, limits: { pages: 10 } });
    expect(r.pages).toBe(2000);
    expect(r.pagesRead).toBeLessThanOrEqual(10);
    // Pages past the cap were not read: nothing about them is "not found".
    expect(r.signature.outcome).toBe("undecided");
    expect(r.seal.outcome).toBe("undecided");
    expect(r.unread.length).toBeGreaterThan(1900);
  });

  it("a truncated PDF is unreadable, not a crash", async () => {
    const pdf = (await materials()).pdf;
    const cut: ScanFile = { name: "扫描件.pdf", type: "pdf", content: pdf.subarray(0, 300) };
    const r = await inspectScan([cut], { ocr });
    expect(r.readable).toBe(false);
    expect(r.flags.map((f) => f.code)).toContain("unreadable-attachment");
  });

  describeShared("hostile scanned copies of the measurement set", ["corpus-hostile"], () => {
    it("hd-10: a PDF with a script on opening and a crafted FontMatrix is named for reviewers and still read", async () => {
      const files = await scanOf(hostile("hd-10-pdf-js-fontmatrix"));
      const r = await inspectScan(files, { ocr });
      expect(r.flags.find((f) => f.code === "suspicious-attachment")).toMatchObject({ file: files[0]!.name, reason: "active-content", detail: expect.stringMatching(/JavaScript.*字体矩阵|字体矩阵.*JavaScript/) });
      expect(r.pagesRead).toBeGreaterThan(0);
    });

    for (const id of ["hd-06-scan-is-exe", "hd-08-pdf-encrypted", "hd-12-jpeg-decompression-bomb"]) {
      it(`${id}: refused with the expected flag, nothing read`, async () => {
        const files = await scanOf(hostile(id));
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

    it("hd-11: a PDF of 2000 pages is read only up to the page limit, in bounded time", async () => {
      const files = await scanOf(hostile("hd-11-pdf-many-pages"));
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
  });
});
