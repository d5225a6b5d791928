import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { Flag } from "@intake/schema";
import { DEFAULT_LIMITS } from "../src/index.js";
import { listPages } from "../src/page-source.js";
import { decodeRaster } from "../src/raster.js";

const page = (shade: number) => sharp({ create: { width: 300, height: 400, channels: 3, background: { r: shade, g: shade, b: shade } } });

describe("listing the pages of a copy", () => {
  it("counts the frames of a multi-page TIFF and decodes each", async () => {
    const tiff = await sharp([await page(250).png().toBuffer(), await page(10).png().toBuffer()], { join: { animated: true } })
      .tiff()
      .toBuffer();
    const flags: Flag[] = [];
    const { pages: refs } = await listPages([{ name: "scan.tif", type: "tiff", content: tiff }], DEFAULT_LIMITS, flags);
    expect(flags).toEqual([]);
    expect(refs.map((r) => r.number)).toEqual([1, 2]);
    const second = (await refs[1]!.image())!;
    const r = await decodeRaster(second.bytes, { maxPixels: 1e8, page: second.page });
    expect(r.data[0]).toBeLessThan(50);
  });

  it("takes the type from the bytes, refuses what is no image, and big images before decoding", async () => {
    const png = await page(200).png().toBuffer();
    const small = await page(200).resize(200, 200).png().toBuffer();
    const flags: Flag[] = [];
    const { pages: refs } = await listPages(
      [
        { name: "photo.jpg", type: "jpeg", content: small },
        { name: "x.pdf", type: "pdf", content: Buffer.from("MZ\x90\x00 not a pdf at all") },
        { name: "big.png", type: "png", content: png },
      ],
      { ...DEFAULT_LIMITS, megapixels: 0.1 },
      flags,
    );
    // A PNG sent as .jpg is still a picture of a page.
    expect(refs.map((r) => r.file.name)).toEqual(["photo.jpg"]);
    expect(flags).toEqual([
      expect.objectContaining({ code: "suspicious-attachment", file: "x.pdf" }),
      expect.objectContaining({ code: "suspicious-attachment", file: "big.png" }),
    ]);
  });
});
