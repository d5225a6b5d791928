import { createRequire } from "node:module";
import path from "node:path";
import { createCanvas } from "@napi-rs/canvas";
import type { PDFDocumentProxy } from "pdfjs-dist/types/src/display/api.js";
import { repairedText, textQuality } from "./text-quality.js";

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");

let loaded: Promise<PdfJs> | null = null;

/** pdf.js's Node build, loaded on first use (it is large and most copies are plain JPEG pages). */
function pdfjs(): Promise<PdfJs> {
  loaded ??= import("pdfjs-dist/legacy/build/pdf.mjs");
  return loaded;
}

/** pdf.js's own data: the CJK CMaps, the 14 standard fonts, the OpenJPEG decoder for JPEG 2000. */
function dataDirs(): { cMapUrl: string; standardFontDataUrl: string; wasmUrl: string } {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve("pdfjs-dist/package.json"));
  return {
    cMapUrl: path.join(root, "cmaps") + path.sep,
    standardFontDataUrl: path.join(root, "standard_fonts") + path.sep,
    wasmUrl: path.join(root, "wasm") + path.sep,
  };
}

/** A page read by pdf.js: its text layer, or its picture as pdf.js draws it. */
export interface PdfJsDocument {
  /** The page's text layer (1-based page), CJK CMaps applied, and how trustworthy it is. */
  text(page: number): Promise<{ text: string; garbled: boolean }>;
  /** The page drawn at most `maxSide` pixels long, upright (its /Rotate applied), as 8-bit RGB. */
  render(page: number, maxSide: number): Promise<{ data: Buffer; width: number; height: number }>;
  close(): Promise<void>;
}

/**
 * Opens a PDF with pdf.js for what pdf-lib's shortcut does not cover: images
 * coded as JPEG 2000, JBIG2 or CCITT fax (pdf.js's own decoders draw them),
 * and text in CJK fonts that are not embedded (the CMaps map their codes to
 * Unicode). Scripts are never evaluated, nothing is fetched, and no image
 * over `maxPixels` is decoded.
 */
export async function openPdfJs(buf: Buffer, maxPixels: number): Promise<PdfJsDocument> {
  const lib = await pdfjs();
  const doc: PDFDocumentProxy = await lib.getDocument({
    data: new Uint8Array(buf),
    ...dataDirs(),
    cMapPacked: true,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    isOffscreenCanvasSupported: false,
    isImageDecoderSupported: false,
    maxImageSize: Math.round(maxPixels),
    enableXfa: false,
    verbosity: 0,
  }).promise;

  async function text(page: number): Promise<{ text: string; garbled: boolean }> {
    const p = await doc.getPage(page);
    try {
      const content = await p.getTextContent();
      let s = "";
      for (const item of content.items) if ("str" in item) s += item.str + (item.hasEOL ? "\n" : "");
      if (textQuality(s).garbled) {
        // Codes of a Chinese font shown as Latin letters: the bytes are GBK more often than not.
        const fixed = repairedText(s);
        return fixed ? { text: fixed, garbled: false } : { text: s, garbled: true };
      }
      return { text: s, garbled: false };
    } finally {
      p.cleanup();
    }
  }

  async function render(page: number, maxSide: number): Promise<{ data: Buffer; width: number; height: number }> {
    const p = await doc.getPage(page);
    try {
      const unit = p.getViewport({ scale: 1 });
      const viewport = p.getViewport({ scale: maxSide / Math.max(unit.width, unit.height, 1) });
      const width = Math.max(1, Math.round(viewport.width));
      const height = Math.max(1, Math.round(viewport.height));
      const canvas = createCanvas(width, height);
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, width, height);
      await p.render({ canvas: canvas as never, canvasContext: ctx as never, viewport }).promise;
      const rgba = ctx.getImageData(0, 0, width, height).data;
      const data = Buffer.alloc(width * height * 3);
      for (let i = 0, j = 0; j < data.length; i += 4, j += 3) {
        data[j] = rgba[i]!;
        data[j + 1] = rgba[i + 1]!;
        data[j + 2] = rgba[i + 2]!;
      }
      return { data, width, height };
    } finally {
      p.cleanup();
    }
  }

  return { text, render, close: () => doc.destroy() };
}
