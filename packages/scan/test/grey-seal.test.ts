import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { decodeRaster } from "../src/raster.js";
import { isGreyPage } from "../src/seal.js";
import { searchSeals } from "../src/seal-search.js";
import { corpusCopies, samplesDir } from "../scripts/corpus-scans.js";

/** The last page of a sample scanned copy as a grey scanner would have made it. */
async function greyLastPage(pdf: Buffer): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf);
  const page = doc.getPages()[doc.getPageCount() - 1]!;
  const xo = page.node.Resources()!.lookup(PDFName.of("XObject")) as PDFDict;
  const jpeg = Buffer.from((doc.context.lookup(xo.values()[0]!) as PDFRawStream).contents);
  return sharp(jpeg).greyscale().jpeg({ quality: 85 }).toBuffer();
}

describe("seals on grey scans", () => {
  it("finds a red seal scanned grey, over text and signature, and none where there is no seal", async () => {
    const copies = (await corpusCopies(samplesDir)).filter((c) => c.files.length === 1 && c.files[0]!.type === "pdf");
    const withSeal = copies.filter((c) => c.truth?.seal).slice(0, 3);
    const without = copies.filter((c) => c.truth?.seal === false);
    expect(withSeal.length).toBeGreaterThan(0);
    expect(without.length).toBeGreaterThan(0);
    for (const c of [...withSeal, ...without]) {
      const r = await decodeRaster(await greyLastPage(c.files[0]!.content), { maxPixels: 1e8 });
      expect(isGreyPage(r)).toBe(true);
      expect((await searchSeals(r)).length > 0, c.id).toBe(c.truth!.seal);
    }
  });
});
