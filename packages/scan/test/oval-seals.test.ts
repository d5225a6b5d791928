import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { loadCall, settle } from "@intake/schema";
import { createOcrPool, inspectScan, type OcrPool } from "../src/index.js";
import { decodeRaster, type Raster } from "../src/raster.js";
import { searchSeals } from "../src/seal-search.js";

/** An A4 page at 150 dpi drawn from SVG shapes on slightly toned paper. */
const W = 1240;
const H = 1754;
const page = (body: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#fdfcf8"/>${body}</svg>`);
const FONT = `font-family="Noto Serif CJK SC, Noto Sans CJK SC, serif"`;

/**
 * An oval seal (a finance or invoice seal, some units' own): an elliptical
 * ring rx × ry px, the unit's name along the inside of its upper arc, a star,
 * the seal's kind below; `tilt` turns the stamp as a hand may.
 */
function ovalSeal(cx: number, cy: number, rx: number, ry: number, opts: { colour?: string; tilt?: number } = {}): string {
  const colour = opts.colour ?? "#d22";
  const name = "某某市科学技术协会";
  const chars = [...name]
    .map((c, i) => {
      const t = ((-200 + (220 / (name.length - 1)) * i) * Math.PI) / 180;
      const x = cx + Math.cos(t) * rx * 0.76;
      const y = cy + Math.sin(t) * ry * 0.72;
      // Upright along the outline: the character's foot towards the centre.
      const a = (Math.atan2(Math.sin(t) / ry, Math.cos(t) / rx) * 180) / Math.PI + 90;
      return `<text x="${x}" y="${y}" font-size="${Math.round(ry * 0.3)}" fill="${colour}" ${FONT} text-anchor="middle" dominant-baseline="middle" transform="rotate(${a} ${x} ${y})">${c}</text>`;
    })
    .join("");
  const star = Array.from({ length: 10 }, (_, i) => {
    const rr = i % 2 ? ry * 0.1 : ry * 0.25;
    const a = (i * 36 - 90) * (Math.PI / 180);
    return `${cx + Math.cos(a) * rr},${cy - ry * 0.05 + Math.sin(a) * rr}`;
  }).join(" ");
  return `<g transform="rotate(${opts.tilt ?? 0} ${cx} ${cy})"><ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="none" stroke="${colour}" stroke-width="6"/>${chars}<polygon points="${star}" fill="${colour}"/><text x="${cx}" y="${cy + ry * 0.55}" font-size="${Math.round(ry * 0.24)}" fill="${colour}" ${FONT} text-anchor="middle">财务专用章</text></g>`;
}

/** A sign-off page: a paragraph of text, the labels, the date, and a signature whose tail runs across where the seal goes. */
const signoff = (extra: string) =>
  page(`${Array.from({ length: 6 }, (_, i) => `<text x="120" y="${700 + i * 48}" font-size="26" fill="#222" ${FONT}>本单位承诺申报材料真实有效，项目组成员均已同意参加本项目。</text>`).join("")}
    <text x="120" y="200" font-size="28" fill="#111" ${FONT}>申报单位负责人（签字）：</text>
    <text x="700" y="330" font-size="28" fill="#111" ${FONT}>（单位公章）</text>
    <text x="640" y="420" font-size="28" fill="#111" ${FONT}>2026年1月10日</text>${extra}
    <path d="M480 190 q30 -60 60 0 t60 -10 q40 40 90 -20 q20 60 120 10 q40 80 60 140" fill="none" stroke="#123" stroke-width="5"/>`);

/** What an oval seal is not: ovals drawn round a word (a marked answer), a logo's heavy oval, bold type, a red tick and underline. */
const lookalikes = page(`
  <text x="250" y="312" font-size="34" fill="#111" ${FONT} text-anchor="middle">物理学</text>
  <ellipse cx="250" cy="300" rx="110" ry="70" fill="none" stroke="#d22" stroke-width="5"/>
  <text x="800" y="312" font-size="34" fill="#111" ${FONT} text-anchor="middle">化学</text>
  <ellipse cx="800" cy="300" rx="100" ry="66" fill="none" stroke="#111" stroke-width="4"/>
  <ellipse cx="300" cy="700" rx="150" ry="95" fill="none" stroke="#000" stroke-width="18"/>
  <text x="300" y="735" font-size="100" font-weight="bold" fill="#000" font-family="DejaVu Sans, sans-serif" text-anchor="middle">CNX</text>
  <text x="700" y="820" font-size="240" font-weight="bold" fill="#000" ${FONT}>章</text>
  <text x="120" y="1100" font-size="60" font-weight="bold" fill="#000" ${FONT}>二〇二六年度重点项目申报书</text>
  <path d="M200 1300 l40 50 l90 -120" fill="none" stroke="#d22" stroke-width="9"/>
  <line x1="500" y1="1340" x2="1000" y2="1344" stroke="#d22" stroke-width="5"/>
  <text x="250" y="1560" font-size="30" fill="#111" ${FONT} text-anchor="middle">同意</text>
  <ellipse cx="250" cy="1550" rx="85" ry="50" fill="none" stroke="#d22" stroke-width="6" transform="rotate(-8 250 1550)"/>
  <text x="600" y="1560" font-size="34" fill="#111" ${FONT}>○ 研讨会  ○ 培训班  ● 访问交流</text>`);

type Mode = (png: Buffer) => Promise<Buffer>;
const MODES: Record<string, Mode> = {
  colour: (b) => sharp(b).jpeg({ quality: 85 }).toBuffer(),
  grey: (b) => sharp(b).greyscale().jpeg({ quality: 85 }).toBuffer(),
  // A 1-bit scanner's threshold turns red ink black: the ring is found by its shape alone.
  "1-bit": (b) => sharp(b).greyscale().threshold(200).png().toBuffer(),
  blurred: (b) => sharp(b).blur(1.6).jpeg({ quality: 85 }).toBuffer(),
  "grey, JPEG q30": (b) => sharp(b).greyscale().jpeg({ quality: 30 }).toBuffer(),
  "turned 4°": (b) => sharp(b).rotate(4, { background: "#fdfcf8" }).jpeg({ quality: 85 }).toBuffer(),
  "photo-like warp": async (b) => {
    // A phone photo: the page a little turned and foreshortened, lit unevenly.
    const turned = await sharp(b).rotate(4, { background: "#555" }).resize({ width: 1100, height: 1700, fit: "fill" }).toBuffer();
    const shade = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1100" height="1700"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#000" stop-opacity="0"/><stop offset="1" stop-color="#000" stop-opacity="0.35"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/></svg>`);
    return sharp(turned).composite([{ input: shade }]).jpeg({ quality: 80 }).toBuffer();
  },
};

async function raster(svg: Buffer, mode: Mode): Promise<Raster> {
  return decodeRaster(await mode(await sharp(svg).png().toBuffer()), { maxPixels: 1e8 });
}

// 45 × 30 mm and 40 × 30 mm at 150 dpi, the second stamped a little askew.
const SEALS = [
  { name: "45×30 mm", rx: 133, ry: 89, tilt: 0 },
  { name: "40×30 mm askew", rx: 118, ry: 89, tilt: 7 },
];

describe("oval seals on drawn pages", () => {
  for (const [mode, apply] of Object.entries(MODES)) {
    for (const s of SEALS) {
      it(`${mode}, ${s.name}: found where it is, as an oval lying level`, async () => {
        const r = await raster(signoff(ovalSeal(800, 330, s.rx, s.ry, { tilt: s.tilt })), apply);
        const found = await searchSeals(r);
        expect(found.length, mode).toBeGreaterThan(0);
        const b = found[0]!.box;
        // Where it was drawn, as a share of the page (the turn and the warp move it a little).
        expect(Math.abs((b.x0 + b.x1) / 2 / r.width - 800 / W)).toBeLessThan(0.06);
        expect(Math.abs((b.y0 + b.y1) / 2 / r.height - 330 / H)).toBeLessThan(0.06);
        // The warp squeezes the page across: the 40 × 30 mm oval, turned, comes near a circle there.
        if (mode !== "photo-like warp") {
          expect(found[0]!.aspect).toBeGreaterThan(1.2);
          expect(b.x1 - b.x0).toBeGreaterThan((b.y1 - b.y0) * 1.15);
        }
      });
    }

    it(`${mode}: no seal from ovals round words, a logo's oval, bold type, a tick or an underline`, async () => {
      expect(await searchSeals(await raster(lookalikes, apply))).toEqual([]);
    });
  }

  it("a page turned a quarter shows the oval upright, and it is found so", async () => {
    const png = await sharp(signoff(ovalSeal(800, 330, 133, 89))).png().toBuffer();
    for (const grey of [false, true]) {
      let s = sharp(png).rotate(90);
      if (grey) s = s.greyscale();
      const r = await decodeRaster(await s.jpeg({ quality: 85 }).toBuffer(), { maxPixels: 1e8 });
      const found = await searchSeals(r);
      expect(found.length).toBeGreaterThan(0);
      const b = found[0]!.box;
      // Turned clockwise: the page's (x, y) lands at (H - y, x).
      expect(Math.abs((b.x0 + b.x1) / 2 / r.width - (H - 330) / H)).toBeLessThan(0.04);
      expect(Math.abs((b.y0 + b.y1) / 2 / r.height - 800 / W)).toBeLessThan(0.04);
      expect(b.y1 - b.y0).toBeGreaterThan((b.x1 - b.x0) * 1.15);
    }
  });
});

describe("an oval seal on a sign-off page read in full", () => {
  let ocr: OcrPool;
  beforeAll(async () => {
    ocr = await createOcrPool();
  });
  afterAll(async () => {
    await ocr.close();
  });
  const call = loadCall(path.resolve(import.meta.dirname, "../../../config/calls/2026.yaml"));

  for (const mode of ["colour", "grey", "1-bit"] as const) {
    it(`${mode}: a sure "found" beside the labels; without it, never a sure "found"`, async () => {
      const withSeal = await MODES[mode]!(await sharp(signoff(ovalSeal(800, 330, 133, 89))).png().toBuffer());
      const r = await inspectScan([{ name: "signoff.png", type: mode === "1-bit" ? "png" : "jpeg", content: withSeal }], { ocr });
      expect(r.seal.outcome).toBe("found");
      expect(settle({ ...r.seal, evidence: undefined }, call.decisions.seal).outcome).toBe("found");
      const without = await MODES[mode]!(await sharp(signoff("")).png().toBuffer());
      const n = await inspectScan([{ name: "signoff.png", type: mode === "1-bit" ? "png" : "jpeg", content: without }], { ocr });
      expect(n.seal.outcome).toBe("not-found");
    });
  }
});
