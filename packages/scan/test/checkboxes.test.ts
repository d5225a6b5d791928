import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { eraseBoxes, findTickedBoxes, markTickedBoxes, TICKED } from "../src/checkboxes.js";
import type { OcrWord } from "../src/ocr-pool.js";

/** A line of a form at 150 dpi: ticked and empty boxes before options, in bold and plain type. */
async function line(): Promise<{ grey: Uint8Array; width: number; height: number }> {
  const width = 720;
  const height = 60;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>
    <rect x="20" y="20" width="18" height="18" fill="black"/><text x="44" y="37" font-size="22" font-weight="bold">情况</text>
    <rect x="200" y="20" width="18" height="18" fill="none" stroke="black" stroke-width="2"/><text x="224" y="37" font-size="22">培训活动</text>
    <rect x="420" y="21" width="17" height="17" fill="#111"/><text x="444" y="37" font-size="22">口人员交流■</text>
    <rect x="590" y="28" width="9" height="9" fill="#111"/><text x="604" y="37" font-size="22" font-weight="bold">普及、，</text></svg>`;
  const { data } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { grey: new Uint8Array(data), width, height };
}

const word = (text: string, x0: number, x1: number, symbols?: [string, number, number][]): OcrWord => ({
  text,
  confidence: 90,
  line: 0,
  bbox: { x0, y0: 20, x1, y1: 40 },
  symbols: symbols?.map(([t, a, b]) => ({ text: t, bbox: { x0: a, y0: 20, x1: b, y1: 40 } })),
});

describe("ticked boxes", () => {
  it("finds solid squares only: not empty boxes, not bold or plain characters such as 口", async () => {
    const { grey, width, height } = await line();
    // A detected text line's box is taller than its 22-pixel characters.
    const boxes = findTickedBoxes(grey, width, height, 30).sort((a, b) => a.x0 - b.x0);
    // The two drawn squares, the ■ typed in the text, and one typed smaller than the characters; not bold punctuation.
    expect(boxes).toHaveLength(4);
    expect(boxes[3]).toMatchObject({ x0: 590, y0: 28 });
    expect(boxes[0]).toMatchObject({ x0: 20, y0: 20 });
    expect(boxes[1]).toMatchObject({ x0: 420, y0: 21 });
    const erased = eraseBoxes(grey, width, boxes);
    expect(findTickedBoxes(erased, width, height, 30)).toEqual([]);
    // Only the boxes are erased: the text beside them keeps its ink.
    let ink = 0;
    for (const v of erased) if (v < 128) ink++;
    expect(ink).toBeGreaterThan(500);
  });

  it("finds the same squares on the line blurred and recompressed as a phone or a cheap scanner gives it", async () => {
    const { grey, width, height } = await line();
    const { data } = await sharp(Buffer.from(grey), { raw: { width, height, channels: 1 } })
      .blur(0.7)
      .jpeg({ quality: 55 })
      .toBuffer()
      .then((j) => sharp(j).greyscale().raw().toBuffer({ resolveWithObject: true }));
    const boxes = findTickedBoxes(new Uint8Array(data), width, height, 30).sort((a, b) => a.x0 - b.x0);
    expect(boxes).toHaveLength(4);
    for (const [i, x] of [[0, 20], [1, 420], [3, 590]] as const) expect(Math.abs(boxes[i]!.x0 - x)).toBeLessThanOrEqual(2);
  });

  it("puts ■ back in reading order, splitting a word OCR ran across the box", () => {
    const words = [word("建立", 40, 80), word("机制学术", 90, 200, [["机", 90, 110], ["制", 112, 130], ["学", 160, 180], ["术", 182, 200]])];
    const marked = markTickedBoxes(words, [{ x0: 10, y0: 22, x1: 28, y1: 40 }, { x0: 136, y0: 22, x1: 154, y1: 40 }]);
    expect(marked.map((w) => w.text)).toEqual([TICKED, "建立", "机制", TICKED, "学术"]);
  });

  it("leaves words alone when a box has no text line beside it", () => {
    const words = [word("建立", 40, 80)];
    expect(markTickedBoxes(words, [{ x0: 10, y0: 300, x1: 28, y1: 318 }]).map((w) => w.text)).toEqual(["建立"]);
  });
});
