import zlib from "node:zlib";
import type { AttachmentReason } from "@intake/schema";
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, type PDFObject } from "pdf-lib";
import { pdfActiveContent, rawActiveContent } from "./pdf-actions.js";

/** Why a PDF is refused or cannot be read; null when it can be worked on. */
export type PdfProblem = { kind: "unreadable" | "suspicious"; reason: AttachmentReason; detail: string; cause?: string } | null;

/** A page's picture as stored: an encoded image sharp can read, or raw pixels. */
export interface PdfPageImage {
  bytes: Buffer;
  width: number;
  height: number;
  raw?: { width: number; height: number; channels: 1 | 3 };
  /** The page's /Rotate, clockwise degrees. */
  rotate: number;
}

export interface PdfSource {
  pageCount: number;
  /**
   * The largest image drawn on the page when it can be taken as stored (JPEG,
   * or plain Flate-coded grey/RGB); "other-codec" when the page has an image
   * in another coding (JPEG 2000, JBIG2, CCITT fax, predictors, masks…) for
   * pdf.js to draw; null when it has none.
   */
  pageImage(index: number, maxPixels: number): PdfPageImage | null | "too-big" | "other-codec";
  /** True when the page uses fonts, i.e. may carry a text layer. */
  pageHasFonts(index: number): boolean;
  /** Active content found (scripts, launch and submit actions, embedded files), in reviewers' words; empty when none. */
  activeContent: string[];
}

export async function openPdf(buf: Buffer): Promise<{ problem: PdfProblem; source: PdfSource | null }> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(buf, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch (e) {
    const truncated = !buf.subarray(-1024).includes("%%EOF");
    return { problem: { kind: "unreadable", reason: truncated ? "truncated" : "damaged", detail: "PDF cannot be parsed", cause: causeOf(e) }, source: null };
  }
  if (doc.isEncrypted) return { problem: { kind: "unreadable", reason: "encrypted", detail: "PDF is encrypted" }, source: null };
  // Named for the reviewers, not refused: nothing here runs it, and the pages are still read.
  const activeContent = [...new Set([...pdfActiveContent(doc), ...rawActiveContent(buf)])];
  let pages: ReturnType<PDFDocument["getPages"]>;
  try {
    pages = doc.getPages();
  } catch (e) {
    return { problem: { kind: "unreadable", reason: "damaged", detail: "PDF page tree is broken", cause: causeOf(e) }, source: null };
  }
  if (pages.length === 0) return { problem: { kind: "unreadable", reason: "empty", detail: "PDF has no pages" }, source: null };

  const lookup = (o: PDFObject | undefined): PDFObject | undefined => (o instanceof PDFRef ? doc.context.lookup(o) : o);
  const resources = (i: number): PDFDict | undefined => {
    const r = pages[i]?.node.Resources();
    return r instanceof PDFDict ? r : undefined;
  };

  function pageImage(index: number, maxPixels: number): PdfPageImage | null | "too-big" | "other-codec" {
    const page = pages[index];
    const xo = lookup(resources(index)?.get(PDFName.of("XObject")));
    if (!page || !(xo instanceof PDFDict)) return null;
    let best: PDFRawStream | null = null;
    let bestArea = 0;
    for (const [, v] of xo.entries()) {
      const s = lookup(v);
      if (!(s instanceof PDFRawStream)) continue;
      if (s.dict.get(PDFName.of("Subtype"))?.toString() !== "/Image") continue;
      const w = Number(s.dict.get(PDFName.of("Width"))?.toString() ?? 0);
      const h = Number(s.dict.get(PDFName.of("Height"))?.toString() ?? 0);
      if (w * h > bestArea) {
        bestArea = w * h;
        best = s;
      }
    }
    if (!best) return null;
    if (bestArea > maxPixels) return "too-big";
    const d = best.dict;
    const width = Number(d.get(PDFName.of("Width"))?.toString());
    const height = Number(d.get(PDFName.of("Height"))?.toString());
    const filter = lookup(d.get(PDFName.of("Filter")));
    const filters = filter instanceof PDFArray ? filter.asArray().map((f) => f.toString()) : filter ? [filter.toString()] : [];
    const rotate = ((page.getRotation().angle % 360) + 360) % 360;
    if (filters.length === 1 && filters[0] === "/DCTDecode") return { bytes: Buffer.from(best.contents), width, height, rotate };
    // Flate-coded 8-bit grey or RGB without predictor: the raw pixels.
    const cs = lookup(d.get(PDFName.of("ColorSpace")))?.toString();
    const bpc = Number(d.get(PDFName.of("BitsPerComponent"))?.toString() ?? 8);
    const channels = cs === "/DeviceGray" ? 1 : cs === "/DeviceRGB" ? 3 : 0;
    if (filters.length === 1 && filters[0] === "/FlateDecode" && channels && bpc === 8 && !d.has(PDFName.of("DecodeParms"))) {
      const need = width * height * channels;
      try {
        const bytes = zlib.inflateSync(Buffer.from(best.contents), { maxOutputLength: need + 1 });
        if (bytes.length >= need) return { bytes: bytes.subarray(0, need), width, height, rotate, raw: { width, height, channels } };
      } catch {
        // pdf.js may still make sense of a stream zlib refuses.
      }
    }
    return "other-codec";
  }

  function pageHasFonts(index: number): boolean {
    const f = lookup(resources(index)?.get(PDFName.of("Font")));
    return f instanceof PDFDict && f.entries().length > 0;
  }

  return { problem: null, source: { pageCount: pages.length, pageImage, pageHasFonts, activeContent } };
}

/** What the PDF library said, for the log only. */
function causeOf(e: unknown): string {
  return String((e as Error)?.message ?? e).replace(/\s+/g, " ").slice(0, 200);
}
