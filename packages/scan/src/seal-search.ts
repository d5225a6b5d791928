import sharp from "sharp";
import type { Raster } from "./raster.js";
import { findSeals, type SealCandidate, type SealSearchOptions } from "./seal.js";

/** Long side the page is searched at: a seal's ring stays a few pixels thick, the work stays small. */
const SIDE = 1000;

/**
 * Round seals on a page (and with `rings`, the near misses after them), boxes
 * in the page's own pixels, best first. The page is scaled to SIDE either way,
 * so a small close-up is judged at the size of a page.
 */
export async function searchSeals(page: Raster, opts: Pick<SealSearchOptions, "rings"> = {}): Promise<SealCandidate[]> {
  const k = SIDE / Math.max(page.width, page.height);
  const width = Math.max(1, Math.round(page.width * k));
  const height = Math.max(1, Math.round(page.height * k));
  const { data, info } = await sharp(page.data, { raw: { width: page.width, height: page.height, channels: 3 } })
    .resize({ width, height, fit: "fill" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const kx = page.width / info.width;
  const ky = page.height / info.height;
  return findSeals({ data, width: info.width, height: info.height }, opts).map((c) => ({ ...c, box: { x0: c.box.x0 * kx, y0: c.box.y0 * ky, x1: c.box.x1 * kx, y1: c.box.y1 * ky } }));
}
