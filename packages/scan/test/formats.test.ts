import { readFileSync } from "node:fs";
import { join } from "node:path";
import iconv from "iconv-lite";
import { PDFDict, PDFDocument, PDFName, PDFString } from "pdf-lib";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Flag } from "@intake/schema";
import { createOcrPool, DEFAULT_LIMITS, inspectScan, sniffType, type OcrPool, type ScanFileType, type ScanResult } from "../src/index.js";
import { listPages } from "../src/page-source.js";
import { g4Image, jbig2Pdf } from "./jbig2-pdf.js";
import { pageModelText } from "../src/read-form-page.js";
import { decodeRaster } from "../src/raster.js";
import { repairedText, textQuality } from "../src/text-quality.js";

/** Every page read, as text (the page model's items in order). */
const pagesText = (r: ScanResult): string => (r.formPages ?? []).map(pageModelText).join("\n");

// Real-format samples made with Debian's tools (recipes in fixtures/formats/README.md).
const dir = join(import.meta.dirname, "fixtures/formats");
const fixture = (name: string) => readFileSync(join(dir, name));

/** The reference page as grey pixels at a given size. */
async function reference(width: number, height: number): Promise<Buffer> {
  return sharp(fixture("page.png")).resize(width, height, { fit: "fill" }).greyscale().raw().toBuffer();
}

/**
 * Mean absolute difference (0–255) between a decoded page and the reference,
 * both grey at the same size, over the pixels inked in either: a blank, black
 * or shifted decode differs by a hundred or more, a right one by a few tens.
 */
async function differenceFromReference(bytes: Buffer, raw: { width: number; height: number; channels: 1 | 3 } | undefined, rotate: number): Promise<number> {
  const r = await decodeRaster(bytes, { maxPixels: 1e8, raw, rotate });
  const grey = await sharp(r.data, { raw: { width: r.width, height: r.height, channels: 3 } }).resize(310, 438, { fit: "fill" }).greyscale().raw().toBuffer();
  const ref = await reference(310, 438);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    if (ref[i]! > 160 && grey[i]! > 160) continue;
    sum += Math.abs(ref[i]! - grey[i]!);
    n++;
  }
  return n ? sum / n : 0;
}

async function firstPage(name: string, content: Buffer = fixture(name)) {
  const flags: Flag[] = [];
  const list = await listPages([{ name, type: sniffType(content) as ScanFileType, content }], DEFAULT_LIMITS, flags);
  try {
    expect(flags).toEqual([]);
    expect(list.pages.length).toBe(1);
    const img = await list.pages[0]!.image();
    expect(img, name).not.toBeNull();
    return img!;
  } finally {
    await list.close();
  }
}

describe("what scanners and phones make", () => {
  // A white page or a wrong decode differs from the reference by tens of grey levels; a right one by a few.
  for (const name of ["ccitt-g4.pdf", "jpeg2000.pdf", "page.heic", "page-1bit.bmp", "page-rle.bmp", "page.gif", "page.webp"]) {
    it(`decodes ${name} to the page it shows`, async () => {
      const img = await firstPage(name);
      const blank = await differenceFromReference(Buffer.alloc(310 * 438 * 3, 255), { width: 310, height: 438, channels: 3 }, 0);
      const d = await differenceFromReference(img.bytes, img.raw, img.rotate);
      expect(d, `${name}: ${d.toFixed(2)} vs a blank page's ${blank.toFixed(2)}`).toBeLessThan(blank / 2);
    });
  }

  it("decodes a JBIG2 page (a generic region, MMR-coded) in a PDF to the page it shows", async () => {
    const { data, width, height } = await g4Image(fixture("ccitt-g4.pdf"));
    const img = await firstPage("jbig2.pdf", await jbig2Pdf(data, width, height));
    const blank = await differenceFromReference(Buffer.alloc(310 * 438 * 3, 255), { width: 310, height: 438, channels: 3 }, 0);
    const d = await differenceFromReference(img.bytes, img.raw, img.rotate);
    expect(d, `jbig2: ${d.toFixed(2)} vs a blank page's ${blank.toFixed(2)}`).toBeLessThan(blank / 2);
  });

  it("types HEIC photos by their content", () => {
    expect(sniffType(fixture("page.heic"))).toBe("heif");
  });
});

/** A one-page PDF whose text is in a font that is not embedded, coded as the producers of Chinese PDFs do. */
async function chinesePdf(lines: string[], font: "cid-gbk" | "simple-gbk"): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const ctx = doc.context;
  const descriptor = (name: string) => ctx.register(ctx.obj({ Type: "FontDescriptor", FontName: name, Flags: 6, FontBBox: [0, -140, 1000, 880], ItalicAngle: 0, Ascent: 880, Descent: -120, CapHeight: 880, StemV: 80 }));
  const ref =
    font === "cid-gbk"
      ? ctx.register(
          ctx.obj({
            Type: "Font", Subtype: "Type0", BaseFont: "STSong-Light-GBK-EUC-H", Encoding: "GBK-EUC-H",
            DescendantFonts: [ctx.register(ctx.obj({ Type: "Font", Subtype: "CIDFontType0", BaseFont: "STSong-Light", CIDSystemInfo: { Registry: PDFString.of("Adobe"), Ordering: PDFString.of("GB1"), Supplement: 2 }, FontDescriptor: descriptor("STSong-Light"), DW: 1000 }))],
          }),
        )
      : ctx.register(ctx.obj({ Type: "Font", Subtype: "TrueType", BaseFont: "SimSun", FirstChar: 32, LastChar: 255, Widths: Array(224).fill(500), FontDescriptor: descriptor("SimSun") }));
  page.node.setFontDictionary(PDFName.of("F1"), ref);
  const ops = ["BT /F1 18 Tf 60 760 Td 28 TL", ...lines.map((l) => `<${iconv.encode(l, "gbk").toString("hex")}> Tj T*`), "ET"].join("\n");
  page.node.set(PDFName.of("Contents"), ctx.register(ctx.flateStream(ops)));
  return Buffer.from(await doc.save());
}

async function pageText(content: Buffer) {
  const list = await listPages([{ name: "x.pdf", type: "pdf", content }], DEFAULT_LIMITS, []);
  try {
    const p = list.pages[0]!;
    expect(await p.image()).toBeNull();
    return await p.text!();
  } finally {
    await list.close();
  }
}

describe("text PDFs in Chinese", () => {
  const lines = ["申报单位负责人（签字）：", "项目名称：中国—东盟青年科学家论坛"];

  it("reads a font that is not embedded through pdf.js's CMaps", async () => {
    const t = await pageText(await chinesePdf(lines, "cid-gbk"));
    expect(t.garbled).toBe(false);
    expect(t.text.replace(/\s/g, "")).toContain("申报单位负责人（签字）：项目名称：中国—东盟青年科学家论坛");
  });

  it("reads GBK codes that a simple font shows as Latin letters", async () => {
    const t = await pageText(await chinesePdf(["关于申报2026年度双边科技人文交流机制重点项目的通知", "项目名称：中国—东盟青年科学家论坛"], "simple-gbk"));
    expect(t.garbled).toBe(false);
    expect(t.text).toContain("关于申报2026年度双边科技人文交流机制重点项目的通知");
  });

  it("reads a LibreOffice export with its embedded subset font", async () => {
    const t = await pageText(fixture("libreoffice-cjk.pdf"));
    expect(t.text.replace(/\s/g, "")).toContain("申报单位：中国科学技术协会");
  });

  it("tells mojibake from Chinese and from English", () => {
    expect(textQuality("Ä¿¡¡¡¡Â¼ ¹ØÓÚÉê±¨2026Äê¶ÈË«±ß¿Æ¼¼ÈËÎÄ½»Á÷»úÖÆ").garbled).toBe(true);
    expect(textQuality("申报单位负责人（签字）：项目名称").garbled).toBe(false);
    expect(textQuality("Application form of the exchange project, 2026").garbled).toBe(false);
    expect(repairedText("Ä¿¡¡¡¡Â¼\n¹ØÓÚÉê±¨")).toBe("目　　录\n关于申报");
    expect(repairedText("Application form of the exchange project")).toBeNull();
  });
});

describe("pages read by OCR", () => {
  let ocr: OcrPool;
  beforeAll(async () => {
    ocr = await createOcrPool();
  }, 60_000);
  afterAll(async () => {
    await ocr.close();
  });

  it("reads the sign-off page of a 1-bit CCITT scan in full", async () => {
    const r = await inspectScan([{ name: "扫描件.pdf", type: "pdf", content: fixture("ccitt-g4.pdf") }], { ocr, fullText: true });
    expect(r.flags).toEqual([]);
    expect(r.unread).toEqual([]);
    expect(r.pagesRead).toBe(1);
    expect(pagesText(r).replace(/\s/g, "")).toMatch(/申报单位负责人/);
  }, 120_000);

  it("reads a text layer that cannot be believed by OCR of the drawn page", async () => {
    // The LibreOffice export without its ToUnicode maps: the codes of a subset font mean nothing.
    const doc = await PDFDocument.load(fixture("libreoffice-cjk.pdf"));
    for (const [, obj] of doc.context.enumerateIndirectObjects()) if (obj instanceof PDFDict && obj.has(PDFName.of("ToUnicode"))) obj.delete(PDFName.of("ToUnicode"));
    const content = Buffer.from(await doc.save());
    const r = await inspectScan([{ name: "申报书.pdf", type: "pdf", content }], { ocr, fullText: true });
    expect(r.unread).toEqual([]);
    // OCR of the drawn page, not the codes: the labels and most of the names come back.
    expect(pagesText(r).replace(/\s/g, "")).toMatch(/申报单位负责人/);
    expect(pagesText(r).replace(/\s/g, "")).toMatch(/东盟青年科学家论坛/);
  }, 120_000);
});
