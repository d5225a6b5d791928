import path from "node:path";
import { expect, it } from "vitest";
import { loadCall, settle } from "@intake/schema";
import { decideSeal } from "../src/decide.js";
import { decodeRaster } from "../src/raster.js";
import { searchSeals } from "../src/seal-search.js";
import { realSeals } from "../scripts/corpus-scans.js";
import { describeShared } from "../../../test/support/shared.js";

const call = loadCall(path.resolve(import.meta.dirname, "../../../config/calls/2026.yaml"));

describeShared("seal finder on labelled real photos and scans", ["real-seals/labels.json"], () => {
  it("reports no seal on any seal-free page and finds most labelled seals", async () => {
    const found: Record<string, boolean> = {};
    for (const img of realSeals()) {
      const r = await decodeRaster(img.content, { maxPixels: 1e8 });
      found[img.file] = (await searchSeals(r)).length > 0;
    }
    const all = realSeals();
    const falsePositives = all.filter((i) => !i.seal && found[i.file]).map((i) => i.file);
    const missed = all.filter((i) => i.seal && !found[i.file]).map((i) => i.file);
    // A seal reported where there is none would wrongly pass a copy: never. A seal missed is
    // at worst a "no seal" a reviewer checks; tight close-ups of one seal filling the frame are missed.
    expect(falsePositives).toEqual([]);
    if (missed.length) console.log(`real-seals: seals not found on ${missed.join(", ")}`);
    expect(missed.length).toBeLessThanOrEqual(Math.floor(all.filter((i) => i.seal).length * 0.25));
  });

  it("decided and held to the call's bars, no page gets a sure wrong answer", async () => {
    const wrong: string[] = [];
    for (const img of realSeals()) {
      const raster = await decodeRaster(img.content, { maxPixels: 1e8 });
      // A picture alone carries no sign-off labels: it is decided as a copy whose sign-off page was not located.
      const { decision } = await decideSeal(null, [{ number: 1, raster, words: [], scale: 1, rotation: 0 }], null);
      const settled = settle({ ...decision, evidence: undefined }, call.decisions.seal).outcome;
      if (settled !== "undecided" && (settled === "found") !== img.seal) wrong.push(`${img.file}: ${settled}`);
    }
    expect(wrong).toEqual([]);
  });
});
