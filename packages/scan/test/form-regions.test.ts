import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { findFormRegions } from "../src/form-regions.js";
import { rotateRaster, type Raster } from "../src/raster.js";

const W = 1240;
/** Height of a line of text at 150 dpi. */
const LINE = 22;
const findTableCells = (r: Raster) => findFormRegions(r, LINE).cells;
const H = 1754;

/** A page drawn as SVG (150 dpi A4), decoded to the RGB raster the scan works on. */
async function page(body: string): Promise<Raster> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#fbfaf6"/>${body}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

const hline = (x0: number, x1: number, y: number) => `<line x1="${x0}" y1="${y}" x2="${x1}" y2="${y}" stroke="#222" stroke-width="2"/>`;
const vline = (x: number, y0: number, y1: number) => `<line x1="${x}" y1="${y0}" x2="${x}" y2="${y1}" stroke="#222" stroke-width="2"/>`;
/** A blot standing for handwriting or print inside a cell. */
const ink = (x: number, y: number) => `<rect x="${x}" y="${y}" width="60" height="14" fill="#111"/>`;

/**
 * Rows at 200, 300, 400, 500; columns at 150, 400, 1050. The left column's
 * last two rows are one merged cell (the rule between them stops at x=400).
 */
const TABLE = [
  hline(150, 1050, 200),
  hline(150, 1050, 300),
  hline(400, 1050, 400),
  hline(150, 1050, 500),
  vline(150, 200, 500),
  vline(400, 200, 500),
  vline(1050, 200, 500),
].join("");

describe("findFormRegions", () => {
  it("finds each enclosed cell once, a merged cell as one region, and which cells hold ink", async () => {
    const cells = await page(TABLE + ink(200, 240) + ink(200, 420) + ink(500, 340));
    const found = findTableCells(cells);
    expect(found).toHaveLength(5);
    const byTop = [...found].sort((a, b) => a.box.y0 - b.box.y0 || a.box.x0 - b.box.x0);
    const merged = byTop.find((c) => c.box.x0 < 200 && c.box.y0 > 250)!;
    expect(merged.box.y1 - merged.box.y0).toBeGreaterThan(180);
    // Top row left and right; middle row: the merged cell, then the right cell; bottom row right.
    expect(byTop.map((c) => c.inked)).toEqual([true, false, true, true, false]);
  });

  it("still closes the cells when the rules are broken by gaps of a pixel and the page is turned a little", async () => {
    const dashed = TABLE.replaceAll('stroke-width="2"', 'stroke-width="2" stroke-dasharray="90 1"');
    const turned = await rotateRaster(await page(dashed), 0.3);
    expect(findTableCells(turned)).toHaveLength(5);
  });

  it("gives the space above each fill-in line as a blank, up to the line above, and no blanks for a table's rules", async () => {
    const underlines = [200, 260, 320].map((y) => hline(500, 1000, y)).join("") + ink(560, 180) + ink(560, 290);
    const { cells, blanks } = findFormRegions(await page(underlines), LINE);
    expect(cells).toEqual([]);
    expect(blanks).toHaveLength(3);
    const [first, second, third] = [...blanks].sort((a, b) => a.box.y0 - b.box.y0);
    expect(first!.box).toMatchObject({ x0: 500, x1: 1000, y1: 199 });
    // At most two lines of text (four characters high) above the first; from the line above for the others.
    expect(first!.box.y0).toBeGreaterThanOrEqual(199 - 4 * LINE);
    expect(second!.box.y0).toBeGreaterThan(200);
    expect([first, second, third].map((b) => b!.inked)).toEqual([true, false, true]);
    expect(findFormRegions(await page(TABLE), LINE).blanks).toEqual([]);
  });

  it("gives no cells for fill-in lines, a single frame or text alone", async () => {
    const underlines = [200, 260, 320].map((y) => hline(500, 1000, y)).join("") + ink(560, 180);
    expect(findTableCells(await page(underlines))).toEqual([]);
    const frame = hline(150, 1050, 200) + hline(150, 1050, 600) + vline(150, 200, 600) + vline(1050, 200, 600);
    expect(findTableCells(await page(frame))).toHaveLength(1);
    expect(findTableCells(await page(ink(300, 300) + ink(400, 300)))).toEqual([]);
  });
});
