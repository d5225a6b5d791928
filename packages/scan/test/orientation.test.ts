import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { createOcrPool, inspectScan, type OcrPool, type ScanResult } from "../src/index.js";
import { scanAttachments } from "../scripts/corpus-scans.js";

const samples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../samples");

/** The sign-off page (the last) of a sample email's scanned copy, as the JPEG stored in its PDF. */
async function signoffPage(id: string): Promise<Buffer> {
  const [pdf] = await scanAttachments(fs.readFileSync(path.join(samples, "mailboxes/qijiaru", `${id}.eml`)));
  const doc = await PDFDocument.load(pdf!.content);
  const page = doc.getPages()[doc.getPageCount() - 1]!;
  const xo = page.node.Resources()!.lookup(PDFName.of("XObject")) as PDFDict;
  return Buffer.from((doc.context.lookup(xo.values()[0]!) as PDFRawStream).contents);
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
});
