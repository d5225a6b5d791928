import { shrinkRaster, type Raster } from "./raster.js";
import { findSeals, type SealCandidate } from "./seal.js";

/** Sides the page is searched at: coarse first (fast, joins broken rings), then finer for thin pale rings. */
const SIDES = [1000, 1600];

/** Round seals on a page, boxes in the page's own pixels, best first. */
export async function searchSeals(page: Raster): Promise<SealCandidate[]> {
  const long = Math.max(page.width, page.height);
  for (const side of SIDES) {
    if (side !== SIDES[0] && long < side * 1.1) break;
    const small = await shrinkRaster(page, side);
    const k = page.width / small.width;
    const found = findSeals(small);
    if (found.length) return found.map((c) => ({ ...c, box: { x0: c.box.x0 * k, y0: c.box.y0 * k, x1: c.box.x1 * k, y1: c.box.y1 * k } }));
    await new Promise((r) => setImmediate(r));
  }
  return [];
}
