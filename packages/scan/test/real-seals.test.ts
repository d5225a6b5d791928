import { describe, expect, it } from "vitest";
import { findSeals } from "../src/index.js";
import { decodeRaster, shrinkRaster } from "../src/raster.js";
import { realSeals } from "../scripts/corpus-scans.js";

describe("seal finder on labelled real photos and scans", () => {
  it("reports no seal on any seal-free page and finds the labelled seals", async () => {
    const found: Record<string, boolean> = {};
    for (const img of realSeals()) {
      const r = await shrinkRaster(await decodeRaster(img.content, { maxPixels: 1e8 }), 1000);
      found[img.file] = findSeals(r).length > 0;
    }
    const all = realSeals();
    const falsePositives = all.filter((i) => !i.seal && found[i.file]).map((i) => i.file);
    const missed = all.filter((i) => i.seal && !found[i.file]).map((i) => i.file);
    expect(falsePositives).toEqual([]);
    // Known miss: a mosaic-blurred, very pale stamp (tsr_squeeze_error.jpeg).
    expect(missed.length).toBeLessThanOrEqual(1);
  });
});
