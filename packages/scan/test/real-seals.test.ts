import { expect, it } from "vitest";
import { decodeRaster } from "../src/raster.js";
import { searchSeals } from "../src/seal-search.js";
import { realSeals } from "../scripts/corpus-scans.js";
import { describeShared } from "../../../test/support/shared.js";

describeShared("seal finder on labelled real photos and scans", ["real-seals/labels.json"], () => {
  it("reports no seal on any seal-free page and finds the labelled seals", async () => {
    const found: Record<string, boolean> = {};
    for (const img of realSeals()) {
      const r = await decodeRaster(img.content, { maxPixels: 1e8 });
      found[img.file] = (await searchSeals(r)).length > 0;
    }
    const all = realSeals();
    const falsePositives = all.filter((i) => !i.seal && found[i.file]).map((i) => i.file);
    const missed = all.filter((i) => i.seal && !found[i.file]).map((i) => i.file);
    expect(falsePositives).toEqual([]);
    expect(missed).toEqual([]);
  });
});
