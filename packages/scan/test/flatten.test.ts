import sharp, { type Sharp } from "sharp";
import { describe, expect, it } from "vitest";
import { findPageQuad, flattenPhoto } from "../src/flatten.js";
import { findFormRegions } from "../src/form-regions.js";
import type { Raster } from "../src/raster.js";

const W = 1240;
const H = 1754;
const LINE = 22;

/** A ruled table page (150 dpi A4) drawn as SVG. */
function tableSvg(): string {
  const rules: string[] = [];
  for (let y = 300; y <= 1300; y += 100) rules.push(`<line x1="150" y1="${y}" x2="1090" y2="${y}" stroke="#222" stroke-width="3"/>`);
  for (const x of [150, 450, 1090]) rules.push(`<line x1="${x}" y1="300" x2="${x}" y2="1300" stroke="#222" stroke-width="3"/>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#fbfaf6"/>${rules.join("")}</svg>`;
}

async function raster(img: Sharp): Promise<Raster> {
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * The page as a phone photographs it: smaller, turned, seen at a slant
 * (an affine shear stands in for perspective), on a dark table, with the
 * light falling off to one side.
 */
async function photographed(): Promise<Raster> {
  const page = await sharp(Buffer.from(tableSvg())).resize({ width: 1000 }).png().toBuffer();
  const slanted = await sharp(page)
    .affine([[1, 0.06], [0.03, 1]], { background: { r: 60, g: 58, b: 55 } })
    .rotate(4, { background: { r: 60, g: 58, b: 55 } })
    .extend({ top: 90, bottom: 120, left: 110, right: 80, background: { r: 60, g: 58, b: 55 } })
    .png()
    .toBuffer();
  const r = await raster(sharp(slanted));
  // Light falling off from left to right.
  for (let y = 0; y < r.height; y++)
    for (let x = 0; x < r.width; x++) for (let c = 0; c < 3; c++) r.data[(y * r.width + x) * 3 + c] = Math.round(r.data[(y * r.width + x) * 3 + c]! * (1 - 0.35 * (x / r.width)));
  return r;
}

describe("flattenPhoto", () => {
  it("leaves a scan that fills the frame as it is", async () => {
    const scan = await raster(sharp(Buffer.from(tableSvg())));
    expect(findPageQuad(scan)).toBeNull();
    expect(await flattenPhoto(scan)).toBe(scan);
  });

  it("finds a photographed page's corners, makes its rules straight and its paper even, so every cell is found again", async () => {
    const photo = await photographed();
    expect(findFormRegions(photo, LINE).cells.length).toBeLessThan(20);
    const flat = await flattenPhoto(photo);
    expect(flat).not.toBe(photo);
    expect(findFormRegions(flat, LINE).cells).toHaveLength(20);
    // The paper on the dim side is as light as on the bright side.
    const lum = (x: number, y: number) => flat.data[(Math.round(y * flat.height) * flat.width + Math.round(x * flat.width)) * 3]!;
    expect(Math.abs(lum(0.05, 0.05) - lum(0.95, 0.05))).toBeLessThan(20);
  });
});
