import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { createOcrPool, inspectScan, type OcrPool, type ScanFile } from "../src/index.js";
import { scanAttachments } from "../scripts/corpus-scans.js";

const samples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../samples");

/** The sign-off page (the last) of a sample email's scanned copy, as the JPEG stored in its PDF. */
async function signoffPage(id: string): Promise<ScanFile> {
  const [pdf] = await scanAttachments(fs.readFileSync(path.join(samples, "mailboxes/qijiaru", `${id}.eml`)));
  const doc = await PDFDocument.load(pdf!.content);
  const page = doc.getPages()[doc.getPageCount() - 1]!;
  const xo = page.node.Resources()!.lookup(PDFName.of("XObject")) as PDFDict;
  return { name: "page.jpg", type: "jpeg", content: Buffer.from((doc.context.lookup(xo.values()[0]!) as PDFRawStream).contents) };
}

// A copy read in full: PP-OCR reads every page first, tesseract then reads the sign-off page's words.
describe("a copy read in full", () => {
  let ocr: OcrPool;
  beforeAll(async () => {
    ocr = await createOcrPool();
  });
  afterAll(async () => {
    await ocr.close();
  });

  it("whose budget PP-OCR's reading spends leaves the signature undecided (budget-spent), never absent", async () => {
    const files = [await signoffPage("msg-004")];
    // What PP-OCR's reading costs, counted as the budget counts it.
    let pp = 0;
    const counting: OcrPool = {
      ...ocr,
      readLines: (img, req) => {
        pp += req?.boxes ? req.boxes.reduce((n, b) => n + (b.x1 - b.x0) * (b.y1 - b.y0), 0) / 1e6 : (img.width * img.height) / 1e6;
        return ocr.readLines(img, req);
      },
    };
    const whole = await inspectScan(files, { ocr: counting, fullText: true });
    expect(whole.signature.outcome).toBe("found");
    expect(pp).toBeGreaterThan(0);
    const r = await inspectScan(files, { ocr, fullText: true, limits: { ocrMegapixels: pp } });
    expect(r.signature).toMatchObject({ outcome: "undecided", reason: "budget-spent" });
    // The seal may still be seen on the page's pixels; what is not seen is not taken for absent.
    expect(r.seal.outcome).not.toBe("not-found");
    if (r.seal.outcome === "undecided") expect(r.seal.reason).toBe("budget-spent");
  }, 120_000);
});
