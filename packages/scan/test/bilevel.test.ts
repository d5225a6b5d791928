import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { loadCall, settle } from "@intake/schema";
import { fromBilevel } from "../src/bilevel.js";
import { createOcrPool, inspectScan, type OcrPool } from "../src/index.js";
import { decodeRaster } from "../src/raster.js";
import { scanAttachments } from "../scripts/corpus-scans.js";

const samples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../samples");
const call = loadCall(path.resolve(import.meta.dirname, "../../../config/calls/2026.yaml"));

/** The sign-off page (the last) of a sample email's scanned copy, as the JPEG stored in its PDF. */
async function signoffPage(id: string): Promise<Buffer> {
  const box = ["qijiaru", "guoyunlong"].find((m) => fs.existsSync(path.join(samples, "mailboxes", m, `${id}.eml`)))!;
  const [pdf] = await scanAttachments(fs.readFileSync(path.join(samples, "mailboxes", box, `${id}.eml`)));
  const doc = await PDFDocument.load(pdf!.content);
  const page = doc.getPages()[doc.getPageCount() - 1]!;
  const xo = page.node.Resources()!.lookup(PDFName.of("XObject")) as PDFDict;
  return Buffer.from((doc.context.lookup(xo.values()[0]!) as PDFRawStream).contents);
}

/** A black-and-white scan of the page (a scanner's threshold), then scaled down to grey as a sender's tool would. */
async function bilevelScaled(page: Buffer, k: number, kernel: "linear" | "cubic" | "lanczos3", jpeg: boolean): Promise<Buffer> {
  const bw = await sharp(page).greyscale().threshold(150).png().toBuffer();
  const { width } = await sharp(bw).metadata();
  const s = sharp(bw).resize({ width: Math.round(width! * k), kernel });
  return jpeg ? s.jpeg({ quality: 75 }).toBuffer() : s.png().toBuffer();
}

// Sample copies: two signed and sealed sign-off pages and the seal-free one.
const IDS = ["msg-001", "msg-012", "msg-005"];

describe("a 1-bit scan scaled to grey is still known for one", () => {
  for (const id of IDS) {
    it(`${id}: scaled every way it is told from the same page scanned in grey`, async () => {
      const page = await signoffPage(id);
      for (const k of [0.5, 0.66, 0.8]) {
        for (const kernel of ["linear", "cubic", "lanczos3"] as const) {
          for (const jpeg of [false, true]) {
            const r = await decodeRaster(await bilevelScaled(page, k, kernel, jpeg), { maxPixels: 1e8 });
            expect(fromBilevel(r), `${k} ${kernel} ${jpeg ? "JPEG" : "PNG"}`).toBe(true);
          }
        }
      }
      // Grey scans, sharp, softened and recompressed: the sensor's grey, not a threshold's.
      for (const grey of [sharp(page).greyscale().jpeg({ quality: 85 }), sharp(page).greyscale().blur(1.2).jpeg({ quality: 70 }), sharp(page).greyscale().resize({ width: 1000 }).png()]) {
        expect(fromBilevel(await decodeRaster(await grey.toBuffer(), { maxPixels: 1e8 }))).toBe(false);
      }
    });
  }

  it("the header's bit depth says so whatever the pixels look like", async () => {
    const r = await decodeRaster(await sharp(await signoffPage("msg-005")).greyscale().jpeg().toBuffer(), { maxPixels: 1e8 });
    expect(fromBilevel(r, 1)).toBe(true);
    expect(fromBilevel(r, 8)).toBe(false);
  });
});

describe("'no seal' on a 1-bit scan scaled to grey", () => {
  let ocr: OcrPool;
  beforeAll(async () => {
    ocr = await createOcrPool();
  });
  afterAll(async () => {
    await ocr.close();
  });

  it("is undecided, while the same page scanned in grey is a sure 'no seal'", async () => {
    const page = await signoffPage("msg-005");
    const grey = await sharp(page).greyscale().jpeg({ quality: 85 }).toBuffer();
    const g = await inspectScan([{ name: "grey.jpg", type: "jpeg", content: grey }], { ocr });
    expect(g.seal.outcome).toBe("not-found");
    expect(settle({ ...g.seal, evidence: undefined }, call.decisions.seal).outcome).toBe("not-found");
    const scaled = await bilevelScaled(page, 0.66, "lanczos3", true);
    const b = await inspectScan([{ name: "scaled.jpg", type: "jpeg", content: scaled }], { ocr });
    expect(b.seal.outcome).not.toBe("found");
    expect(settle({ ...b.seal, evidence: undefined }, call.decisions.seal).outcome).toBe("undecided");
  });
});
