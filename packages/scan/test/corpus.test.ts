import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { createOcrPool, inspectScan, type OcrPool, type ScanFile } from "../src/index.js";
import { squash } from "../src/ocr-text.js";
import { corpusCopies, samplesDir, type CorpusCopy } from "../scripts/corpus-scans.js";

// One copy of each sign-off combination among the sample emails (the measure script runs the whole corpus).
const PICK = [
  { signature: true, seal: true },
  { signature: true, seal: false },
  { signature: false, seal: false },
];

describe("scanned copies of the sample emails", () => {
  let ocr: OcrPool;
  let copies: CorpusCopy[];
  beforeAll(async () => {
    ocr = await createOcrPool();
    copies = await corpusCopies(samplesDir);
  });
  afterAll(async () => {
    await ocr.close();
  });

  for (const want of PICK) {
    it(`signature ${want.signature}, seal ${want.seal}: decided as the truth says, with evidence`, async () => {
      const copy = copies.find((c) => c.truth?.signature === want.signature && c.truth?.seal === want.seal);
      expect(copy, "a sample has such a copy").toBeDefined();
      const r = await inspectScan(copy!.files, { ocr });
      expect(r.readable).toBe(true);
      const outcome = (v: boolean) => (v ? "found" : "not-found");
      expect(r.signature.outcome).toBe(outcome(want.signature));
      expect(r.seal.outcome).toBe(outcome(want.seal));
      // Every decision shows where it was made, found or not.
      for (const d of [r.signature, r.seal]) {
        expect(d.evidence?.page).toBeGreaterThan(0);
        expect(d.evidence!.crop!.length).toBeLessThan(60_000);
      }
      expect(r.cover?.page).toBe(1);
      expect(squash(r.cover!.text)).toMatch(/申报书/);
      expect(r.pagesRead).toBeLessThan(r.pages);
      expect(r.flags).toEqual([]);
    });
  }

  it("photos of pages (JPEG files): fullText reads each as a structured page", async () => {
    const copy = copies.find((c) => c.truth?.signature && c.truth?.seal && c.files[0]?.type === "pdf")!;
    const doc = await PDFDocument.load(copy.files[0]!.content);
    const pageJpeg = (i: number): Buffer => {
      const xo = doc.getPages()[i]!.node.Resources()!.lookup(PDFName.of("XObject")) as PDFDict;
      return Buffer.from((doc.context.lookup(xo.values()[0]!) as PDFRawStream).contents);
    };
    const files: ScanFile[] = [
      { name: "page-1.jpg", type: "jpeg", content: pageJpeg(0) },
      { name: "page-last.jpg", type: "jpeg", content: pageJpeg(doc.getPageCount() - 1) },
    ];
    const r = await inspectScan(files, { ocr, fullText: true });
    expect(r.pages).toBe(2);
    expect(r.pagesRead).toBe(2);
    expect(r.formPages!.map((p) => p.page)).toEqual([1, 2]);
    const cover = r.formPages![0]!.items.filter((i) => i.kind === "blank");
    expect(cover.map((b) => (b.kind === "blank" ? b.label?.text : "")).join("")).toMatch(/申报单位.*项目名称/);
    expect(r.signature).toMatchObject({ outcome: "found", evidence: { page: 2 } });
    expect(r.seal).toMatchObject({ outcome: "found", evidence: { page: 2 } });
  });
});
