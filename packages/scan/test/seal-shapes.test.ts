import path from "node:path";
import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { loadCall, settle } from "@intake/schema";
import { decideSeal } from "../src/decide.js";
import { decodeRaster, type Raster } from "../src/raster.js";
import { isBilevel } from "../src/bilevel.js";
import { searchSeals } from "../src/seal-search.js";

/** An A4 page at 150 dpi drawn from SVG shapes on white paper. */
const W = 1240;
const H = 1754;
const page = (body: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#fdfcf8"/>${body}</svg>`);
const FONT = `font-family="Noto Serif CJK SC, Noto Sans CJK SC, serif"`;

/** A unit's round seal: a red ring 42 mm across, the unit's name round the inside, a star, the seal's kind below. */
function seal(cx: number, cy: number, colour = "#d22"): string {
  const r = 124;
  const name = "中国某某科学技术学会";
  const chars = [...name]
    .map((c, i) => {
      const a = -200 + (220 / (name.length - 1)) * i;
      const rad = (a * Math.PI) / 180;
      const x = cx + Math.cos(rad) * r * 0.72;
      const y = cy + Math.sin(rad) * r * 0.72;
      return `<text x="${x}" y="${y}" font-size="30" fill="${colour}" ${FONT} text-anchor="middle" dominant-baseline="middle" transform="rotate(${a + 90} ${x} ${y})">${c}</text>`;
    })
    .join("");
  const star = Array.from({ length: 10 }, (_, i) => {
    const rr = i % 2 ? 14 : 36;
    const a = (i * 36 - 90) * (Math.PI / 180);
    return `${cx + Math.cos(a) * rr},${cy + Math.sin(a) * rr}`;
  }).join(" ");
  return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="none" stroke="${colour}" stroke-width="7"/>${chars}<polygon points="${star}" fill="${colour}"/><text x="${cx}" y="${cy + 70}" font-size="22" fill="${colour}" ${FONT} text-anchor="middle">专用章</text>`;
}

/** Text, a signature and the labels of a sign-off page around where a seal goes. */
const signoff = (extra: string) =>
  page(`<text x="120" y="200" font-size="28" fill="#111" ${FONT}>申报单位负责人（签字）：</text>
    <path d="M480 190 q30 -60 60 0 t60 -10 q40 40 90 -20 q20 60 120 10" fill="none" stroke="#123" stroke-width="5"/>
    <text x="700" y="330" font-size="28" fill="#111" ${FONT}>（单位公章）</text>
    <text x="640" y="420" font-size="28" fill="#111" ${FONT}>2026年1月10日</text>${extra}`);

/** What a seal is not: a Creative-Commons-like logo, a heavy character, a red tick and underline, a bold heading, a circle drawn round text. */
const lookalikes = page(`
  <circle cx="250" cy="300" r="90" fill="none" stroke="#000" stroke-width="16"/>
  <text x="250" y="340" font-size="110" font-weight="bold" fill="#000" font-family="DejaVu Sans, sans-serif" text-anchor="middle">cc</text>
  <text x="700" y="420" font-size="260" font-weight="bold" fill="#000" ${FONT}>體</text>
  <text x="120" y="700" font-size="64" font-weight="bold" fill="#000" ${FONT}>二〇二六年度重点项目申报书</text>
  <path d="M700 900 l40 50 l90 -120" fill="none" stroke="#d22" stroke-width="9"/>
  <line x1="600" y1="1000" x2="1000" y2="1004" stroke="#d22" stroke-width="5"/>
  <text x="250" y="1210" font-size="34" fill="#111" ${FONT} text-anchor="middle">物理</text>
  <ellipse cx="250" cy="1200" rx="95" ry="62" fill="none" stroke="#d22" stroke-width="5"/>
  <circle cx="800" cy="1300" r="110" fill="none" stroke="#d22" stroke-width="6"/>
  <text x="700" y="1600" font-size="40" fill="#111" ${FONT}>○ 研讨会  ○ 培训班  ● 访问交流</text>`);

type Mode = (png: Buffer) => Promise<Buffer>;
const MODES: Record<string, Mode> = {
  colour: (b) => sharp(b).jpeg({ quality: 85 }).toBuffer(),
  grey: (b) => sharp(b).greyscale().jpeg({ quality: 85 }).toBuffer(),
  // A 1-bit scanner's threshold turns red ink black.
  "1-bit": (b) => sharp(b).greyscale().threshold(200).png().toBuffer(),
  blurred: (b) => sharp(b).blur(1.6).jpeg({ quality: 85 }).toBuffer(),
  "JPEG q30": (b) => sharp(b).jpeg({ quality: 30 }).toBuffer(),
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

describe("seal finder on drawn pages", () => {
  for (const [name, mode] of Object.entries(MODES)) {
    it(`${name}: a seal partly under the signature and the date is found where it is`, async () => {
      const r = await raster(signoff(seal(780, 330)), mode);
      const found = await searchSeals(r);
      expect(found.length, name).toBeGreaterThan(0);
      const b = found[0]!.box;
      // Where it was drawn, as a share of the page (the warp moves it a little).
      expect(Math.abs((b.x0 + b.x1) / 2 / r.width - 780 / W)).toBeLessThan(0.06);
      expect(Math.abs((b.y0 + b.y1) / 2 / r.height - 330 / H)).toBeLessThan(0.06);
    });

    it(`${name}: no seal from a logo, a heavy character, a tick, an underline, a heading or a drawn circle`, async () => {
      const r = await raster(lookalikes, mode);
      expect(await searchSeals(r)).toEqual([]);
    });

    it(`${name}: a sign-off page without a seal has none`, async () => {
      const r = await raster(signoff(""), mode);
      expect(await searchSeals(r)).toEqual([]);
    });
  }
});

describe("no seal on a 1-bit scan", () => {
  it("is never sure: the scanner's threshold may have dropped a light red seal", async () => {
    // A pale red seal scanned in black and white: the threshold keeps the text and loses the seal.
    const png = await sharp(signoff(seal(780, 330, "#f29a9a"))).greyscale().threshold(128).png().toBuffer();
    const r = await decodeRaster(png, { maxPixels: 1e8 });
    expect(isBilevel(r)).toBe(true);
    const page = { number: 1, raster: r, words: [], scale: 1, rotation: 0 as const, bilevel: true };
    const { decision } = await decideSeal(page, [page], null);
    expect(decision.outcome).toBe("not-found");
    const call = loadCall(path.resolve(import.meta.dirname, "../../../config/calls/2026.yaml"));
    expect(settle({ ...decision, evidence: undefined }, call.decisions.seal).outcome).toBe("undecided");
    // The same page scanned in grey keeps the seal.
    const grey = await decodeRaster(await sharp(signoff(seal(780, 330, "#f29a9a"))).greyscale().jpeg({ quality: 85 }).toBuffer(), { maxPixels: 1e8 });
    expect(isBilevel(grey)).toBe(false);
    expect((await searchSeals(grey)).length).toBeGreaterThan(0);
  });
});

describe("a washed-out seal", () => {
  for (const mode of ["colour", "grey"] as const) {
    it(`${mode}: too faint to be sure of is never a confident "no seal"`, async () => {
      // A stamp pressed with a dry pad: a pink so light its ring is only a trace.
      let s = sharp(signoff(seal(780, 330, "#f9dada")));
      if (mode === "grey") s = s.greyscale();
      const r = await decodeRaster(await s.jpeg({ quality: 80 }).toBuffer(), { maxPixels: 1e8 });
      const page = { number: 1, raster: r, words: [], scale: 1, rotation: 0 as const };
      const { decision } = await decideSeal(page, [page], null);
      const call = loadCall(path.resolve(import.meta.dirname, "../../../config/calls/2026.yaml"));
      expect(settle({ ...decision, evidence: undefined }, call.decisions.seal).outcome).not.toBe("not-found");
    });
  }
});
