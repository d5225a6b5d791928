import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { createOcrPool, inspectScan, type OcrPool, type ScanResult } from "../src/index.js";
import { scanAttachments } from "../scripts/corpus-scans.js";

const samples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../samples");

/** The pages of a sample email's scanned copy, as the JPEGs stored in its PDF. */
async function pages(id: string): Promise<Buffer[]> {
  const [pdf] = await scanAttachments(fs.readFileSync(path.join(samples, "mailboxes/qijiaru", `${id}.eml`)));
  const doc = await PDFDocument.load(pdf!.content);
  return doc.getPages().map((page) => {
    const xo = page.node.Resources()!.lookup(PDFName.of("XObject")) as PDFDict;
    return Buffer.from((doc.context.lookup(xo.values()[0]!) as PDFRawStream).contents);
  });
}

/** The sign-off page (the last) of a sample email's scanned copy. */
async function signoffPage(id: string): Promise<Buffer> {
  return (await pages(id)).at(-1)!;
}

const truth = (id: string) => (JSON.parse(fs.readFileSync(path.join(samples, "expected", `${id}.json`), "utf8")) as { submissions: Array<{ signoff: { signature: boolean; seal: boolean } }> }).submissions[0]!.signoff;
const outcome = (v: boolean) => (v ? "found" : "not-found");

describe("a sign-off page turned round", () => {
  let ocr: OcrPool;
  beforeAll(async () => {
    ocr = await createOcrPool();
  });
  afterAll(async () => {
    await ocr.close();
  });

  // One signed and sealed, one sealed without signature: both decisions must survive every turn.
  for (const id of ["msg-004", "msg-012"]) {
    it(`${id}: each quarter turn gives the upright decisions, turned back, with upright evidence`, async () => {
      const jpeg = await signoffPage(id);
      const want = truth(id);
      const upright = await inspectScan([{ name: "page.jpg", type: "jpeg", content: jpeg }], { ocr });
      expect(upright.signature.outcome).toBe(outcome(want.signature));
      expect(upright.seal.outcome).toBe(outcome(want.seal));
      for (const turn of [90, 180, 270] as const) {
        // The page as scanned turned `turn` clockwise: reading it upright takes the opposite turn.
        const turned = await sharp(jpeg).rotate(turn).jpeg({ quality: 90 }).toBuffer();
        const r: ScanResult = await inspectScan([{ name: `page-${turn}.jpg`, type: "jpeg", content: turned }], { ocr });
        const back = (360 - turn) % 360;
        for (const k of ["signature", "seal"] as const) {
          expect(r[k].outcome, `${k} at ${turn}°`).toBe(upright[k].outcome);
          expect(r[k].evidence?.rotation, `${k} at ${turn}°`).toBe(back);
        }
        // Boxes are on the upright page: the seal sits where it sits upright.
        const a = upright.seal.evidence!.box!;
        const b = r.seal.evidence!.box!;
        expect(Math.abs((a.x0 + a.x1) / 2 - (b.x0 + b.x1) / 2)).toBeLessThan(0.05);
        expect(Math.abs((a.y0 + a.y1) / 2 - (b.y0 + b.y1) / 2)).toBeLessThan(0.05);
        // The evidence crop is the upright seal: wider than a sliver, as tall as wide.
        const meta = await sharp(r.seal.evidence!.crop!).metadata();
        expect(Math.abs(meta.width! - meta.height!)).toBeLessThan(meta.width! * 0.2);
      }
    });
  }

  // Read in full (a scan-only copy), PP-OCR settles which way up the page is and tesseract reads only
  // the sign-off page on the raster PP-OCR turned: the decisions, the evidence and the page model agree.
  it("msg-012 read in full: each quarter turn gives the upright decisions, and the page model is turned back too", async () => {
    const jpeg = await signoffPage("msg-012");
    const want = truth("msg-012");
    const upright = await inspectScan([{ name: "page.jpg", type: "jpeg", content: jpeg }], { ocr, fullText: true });
    expect(upright.signature.outcome).toBe(outcome(want.signature));
    expect(upright.seal.outcome).toBe(outcome(want.seal));
    expect(upright.formPages?.[0]?.rotation).toBe(0);
    for (const turn of [90, 180, 270] as const) {
      const turned = await sharp(jpeg).rotate(turn).jpeg({ quality: 90 }).toBuffer();
      const r = await inspectScan([{ name: `page-${turn}.jpg`, type: "jpeg", content: turned }], { ocr, fullText: true });
      const back = (360 - turn) % 360;
      for (const k of ["signature", "seal"] as const) {
        expect(r[k].outcome, `${k} at ${turn}°`).toBe(upright[k].outcome);
        expect(r[k].evidence?.rotation, `${k} at ${turn}°`).toBe(back);
      }
      expect(r.formPages?.[0]?.rotation, `page model at ${turn}°`).toBe(back);
      expect(r.signedDate, `date at ${turn}°`).toBe(upright.signedDate);
    }
  }, 240_000);

  // Upside down, PP-OCR reads some pages as next to no Chinese, which it cannot tell from a blank
  // page: tesseract's probe turns those, so a copy scanned upside down still reads upright.
  it("a copy read in full, scanned upside down: every page is turned back", async () => {
    const turned = await Promise.all((await pages("msg-012")).map((p) => sharp(p).rotate(180).jpeg({ quality: 90 }).toBuffer()));
    const r = await inspectScan(turned.map((content, i) => ({ name: `page-${i + 1}.jpg`, type: "jpeg" as const, content })), { ocr, fullText: true });
    expect(r.formPages?.map((p) => p.rotation)).toEqual(turned.map(() => 180));
    expect(r.signature.evidence?.page).toBe(turned.length);
  }, 240_000);
});
