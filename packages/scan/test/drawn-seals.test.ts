import path from "node:path";
import { describe, expect, it } from "vitest";
import sharp, { type Sharp } from "sharp";
import { decodeRaster } from "../src/raster.js";
import { searchSeals } from "../src/seal-search.js";

// Seals drawn for the tests (test/fixtures/seals), stamped on a page of text
// over the signature line, then scanned badly in the ways real copies are.
const SEALS = path.resolve(import.meta.dirname, "../../../test/fixtures/seals");
const W = 1654;
const H = 2339;
const AT = { left: 1000, top: 1620, side: 380 };

const text = (y: number, s: string) => `<text x="160" y="${y}" font-size="34" font-family="Noto Serif CJK SC, serif">${s}</text>`;
const lines = Array.from({ length: 28 }, (_, i) =>
  text(260 + i * 62, i === 24 ? "单位负责人（签字）：　　　　　　　　单位（盖章）" : "项目申报单位承诺所填内容真实准确，并按要求组织实施本项目的各项交流活动。"),
).join("");
/** A handwritten-looking signature: dark strokes across the signature line. */
const signature = `<path d="M 520 1760 c 30 -60 60 40 90 -20 s 50 50 80 -10 s 40 30 70 -30 l 40 60" fill="none" stroke="#202040" stroke-width="6" />`;

async function page(seal: string | null): Promise<Sharp> {
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="white"/><g fill="#1a1a1a">${lines}</g>${signature}</svg>`);
  const layers = seal ? [{ input: await sharp(path.join(SEALS, `${seal}.png`)).resize({ width: AT.side }).toBuffer(), left: AT.left, top: AT.top }] : [];
  return sharp(await sharp(svg).composite(layers).png().toBuffer());
}

interface Scan {
  apply: (s: Sharp) => Sharp;
  /** Where a point of the page lands on the scan. */
  map: (x: number, y: number) => [number, number];
}

const turn = (deg: number): Scan => {
  const t = (deg * Math.PI) / 180;
  const [w, h] = [W * Math.cos(t) + H * Math.sin(t), W * Math.sin(t) + H * Math.cos(t)];
  return {
    apply: (s) => s.rotate(deg, { background: "#fff" }),
    // Clockwise about the page's centre, onto the enlarged canvas.
    map: (x, y) => [Math.cos(t) * (x - W / 2) - Math.sin(t) * (y - H / 2) + w / 2, Math.sin(t) * (x - W / 2) + Math.cos(t) * (y - H / 2) + h / 2],
  };
};

const SCANS: Record<string, Scan> = {
  "as drawn": { apply: (s) => s, map: (x, y) => [x, y] },
  "rotated 7°": turn(7),
  blurred: { apply: (s) => s.blur(1.5), map: (x, y) => [x, y] },
  "at 60 %": { apply: (s) => s.resize({ width: Math.round(W * 0.6) }), map: (x, y) => [x * 0.6, y * 0.6] },
};

/** The seals found on the scan, boxes in the scan's own pixels. */
async function sealsOn(seal: string | null, scan: Scan, quality = 85) {
  const jpeg = await scan.apply(await page(seal)).jpeg({ quality }).toBuffer();
  const raster = await decodeRaster(jpeg, { maxPixels: 1e8 });
  // The raster may be scaled to the working size.
  const k = (await sharp(jpeg).metadata()).width! / raster.width;
  return (await searchSeals(raster)).map((c) => ({ ...c, box: { x0: c.box.x0 * k, y0: c.box.y0 * k, x1: c.box.x1 * k, y1: c.box.y1 * k } }));
}

describe("seal finder on drawn seals", () => {
  for (const seal of ["round", "pale"]) {
    for (const [how, scan] of Object.entries(SCANS)) {
      it(`finds the ${seal} seal over text and signature, ${how}`, async () => {
        const found = await sealsOn(seal, scan);
        expect(found.length).toBeGreaterThan(0);
        // Where it was stamped, in the scan's own pixels.
        const [x, y] = scan.map(AT.left + AT.side / 2, AT.top + AT.side / 2);
        const b = found[0]!.box;
        expect(Math.hypot((b.x0 + b.x1) / 2 - x, (b.y0 + b.y1) / 2 - y)).toBeLessThan(AT.side / 4);
      });
    }
    it(`finds the ${seal} seal in a coarse JPEG`, async () => {
      expect((await sealsOn(seal, SCANS["as drawn"]!, 30)).length).toBeGreaterThan(0);
    });
  }

  for (const [how, scan] of Object.entries(SCANS)) {
    it(`finds no seal on the same page without one, ${how}`, async () => {
      expect(await sealsOn(null, scan)).toEqual([]);
    });
  }
});
