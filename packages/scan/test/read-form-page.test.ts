import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOcrPool, type OcrPool } from "../src/index.js";
import { rotateRaster, type Raster } from "../src/raster.js";
import { readFormPage } from "../src/read-form-page.js";

const W = 1240;
const H = 700;
const SIZE = 22;
const LEFT = 170;
const RIGHT = 1050;
/** Characters per full line of the cell (its width less a character of padding). */
const FULL = Math.floor((RIGHT - LEFT - SIZE) / SIZE);

/**
 * A ruled table drawn at 150 dpi, two answer cells under their label
 * cells, each line set at its own place as Word lays out justified
 * Chinese text: `lines` are the visual lines, top to bottom.
 */
async function page(cells: { label: string; lines: string[] }[]): Promise<Raster> {
  const rows = cells.map((_, i) => 100 + i * 260);
  const rules = [...rows, 100 + cells.length * 260].map((y) => `<line x1="40" y1="${y}" x2="${RIGHT}" y2="${y}" stroke="#111" stroke-width="2"/>`);
  const cols = [40, 160, RIGHT].map((x) => `<line x1="${x}" y1="100" x2="${x}" y2="${100 + cells.length * 260}" stroke="#111" stroke-width="2"/>`);
  const text = cells.flatMap((c, i) => [
    `<text x="55" y="${rows[i]! + 40}" font-size="${SIZE}" font-family="Noto Sans CJK SC">${c.label}</text>`,
    ...c.lines.map((l, j) => `<text x="${LEFT}" y="${rows[i]! + 40 + j * 36}" font-size="${SIZE}" font-family="Noto Sans CJK SC">${l}</text>`),
  ]);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}"><rect width="100%" height="100%" fill="#fbfaf6"/>${[...rules, ...cols, ...text].join("")}</svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** The same page as a grey scan saved as a low-quality JPEG. */
async function greyJpeg(r: Raster): Promise<Raster> {
  const jpeg = await sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } }).greyscale().blur(0.6).jpeg({ quality: 50 }).toBuffer();
  const { data, info } = await sharp(jpeg).toColourspace("srgb").removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

// Sentences cut into full lines; the break before （二） leaves two characters of room, as Word does
// (an opening bracket never ends a line, a closing one never starts one: （二） is not split).
const para = "项目围绕交流机制重点支持方向聚焦新型工业化领域面向青年科技工作者搭建多样化交流平台突出科技交流合作的人文属性推动双方科技社团建立长期合作关系".repeat(2);
const wrapped = [para.slice(0, FULL), `${para.slice(FULL, 2 * FULL - 3)}；`, `（二）${para.slice(10, 30)}。`];
// A paragraph that ends four characters short of the margin, and the next paragraph.
const broken = [para.slice(0, FULL), para.slice(FULL, 2 * FULL - 4), `二${para.slice(10, 30)}。`];

describe("readFormPage", () => {
  let pool: OcrPool;
  beforeAll(async () => {
    pool = await createOcrPool();
  });
  afterAll(async () => {
    await pool?.close();
  });

  const answers = async (r: Raster) => {
    const { page } = await readFormPage(r, 1, 0, pool);
    return page.items.flatMap((i) => (i.kind === "row" && i.cells.length === 2 ? [i.cells[1]!.text] : []));
  };

  it("joins a line that the next line's first unbreakable piece was pushed off, and keeps a paragraph that ends short", async () => {
    const clean = await page([
      { label: "工作设想", lines: wrapped },
      { label: "其他", lines: broken },
    ]);
    for (const r of [clean, await greyJpeg(clean), await rotateRaster(clean, 0.4)]) {
      const [a, b] = await answers(r);
      expect(a!.split("\n"), a).toHaveLength(1);
      expect(a).toMatch(/[；;]\s*[（(]二[）)]/);
      expect(b!.split("\n"), b).toHaveLength(2);
    }
  }, 180_000);
});
