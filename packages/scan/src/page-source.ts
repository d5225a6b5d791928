import sharp, { type Metadata } from "sharp";
import type { AttachmentReason, Flag } from "@intake/schema";
import type { Logger } from "pino";
import { bmpPixels, bmpSize, heicPixels } from "./foreign-image.js";
import { openPdf, type PdfSource } from "./pdf-source.js";
import { openPdfJs, type PdfJsDocument } from "./pdfjs.js";
import { WORK_SIDE } from "./raster.js";
import { sniffType } from "./sniff.js";
import type { ScanFile, ScanLimits } from "./types.js";

/** A page's picture: an encoded image sharp reads, or raw pixels, with the clockwise turn to apply. */
export interface PageImage {
  bytes: Buffer;
  raw?: { width: number; height: number; channels: 1 | 3 };
  rotate: number;
  /** Frame of a multi-page TIFF. */
  page?: number;
}

/** One page of the copy, loaded only when asked for. */
export interface PageRef {
  /** 1-based over all files. */
  number: number;
  file: ScanFile;
  /** The page's picture, or null when it has none (a PDF page of text only). Throws when it cannot be decoded. */
  image(): Promise<PageImage | null>;
  /** True when a text layer may be read instead (PDF page with fonts). */
  hasText: boolean;
  /** A PDF page's text layer, CJK CMaps applied; garbled when it fails the mojibake test. */
  text?(): Promise<{ text: string; garbled: boolean }>;
  /** A PDF page as pdf.js draws it, for OCR when its text layer cannot be believed. */
  render?(): Promise<PageImage>;
  /** Index inside its PDF, for the text layer. */
  pdfIndex?: number;
}

export interface PageList {
  pages: PageRef[];
  /** Frees what the pages hold open (pdf.js documents). */
  close(): Promise<void>;
}

/**
 * Verifies each file (magic bytes, size, pixel count from the header, PDF
 * encryption and active content) and lists its pages without decoding them.
 * What the libraries say about a refused file goes to the log; the flag
 * carries our reason code.
 */
export async function listPages(files: ScanFile[], limits: ScanLimits, flags: Flag[], log?: Logger): Promise<PageList> {
  const refs: PageRef[] = [];
  const closers: (() => Promise<void>)[] = [];
  const maxPixels = limits.megapixels * 1e6;
  for (const file of files) {
    const flag = (code: "unreadable-attachment" | "suspicious-attachment", reason: AttachmentReason, detail: string, cause?: string) => {
      flags.push({ code, file: file.name, reason, detail });
      log?.info({ code, reason, file: file.name, detail, ...(cause ? { cause } : {}) }, "scanned copy refused");
    };
    if (file.content.length > limits.fileBytes) {
      flag("unreadable-attachment", "too-large", `file is over ${Math.round(limits.fileBytes / 1048576)} MB`);
      continue;
    }
    const real = sniffType(file.content);
    if (!real) {
      flag("suspicious-attachment", "disguised", `content is not a PDF or an image (declared ${file.type})`);
      continue;
    }
    if (real === "pdf") {
      const { problem, source } = await openPdf(file.content);
      if (problem || !source) {
        flag(problem?.kind === "suspicious" ? "suspicious-attachment" : "unreadable-attachment", problem?.reason ?? "damaged", problem?.detail ?? "PDF cannot be read", problem?.cause);
        continue;
      }
      let js: Promise<PdfJsDocument> | null = null;
      const pdfjs = () => (js ??= openPdfJs(file.content, maxPixels));
      closers.push(async () => {
        if (js) await (await js.catch(() => null))?.close();
      });
      pushPdfPages(refs, file, source, maxPixels, pdfjs, flag);
      continue;
    }
    let size: { width: number; height: number } | null;
    let meta: Metadata | null = null;
    try {
      if (real === "bmp") size = bmpSize(file.content);
      else {
        meta = await sharp(file.content, { limitInputPixels: false }).metadata();
        size = { width: meta.width ?? 0, height: meta.pageHeight ?? meta.height ?? 0 };
      }
    } catch (e) {
      flag("unreadable-attachment", "damaged", "image cannot be read", (e as Error).message?.slice(0, 200));
      continue;
    }
    if (!size?.width || !size.height) {
      flag("unreadable-attachment", "damaged", "image has no size");
      continue;
    }
    if (size.width * size.height > maxPixels) {
      flag("suspicious-attachment", "image-too-large", `image of ${size.width}×${size.height} px is over ${limits.megapixels} megapixels`);
      continue;
    }
    // libvips as sharp ships it reads no BMP and no HEVC-coded HEIC (AVIF it does).
    const image: (page: number) => Promise<PageImage> =
      real === "bmp"
        ? async () => ({ ...bmpPixels(file.content), rotate: 0 })
        : real === "heif" && meta?.compression !== "av1"
          ? async () => ({ ...(await heicPixels(file.content)), rotate: 0 })
          : async (page) => ({ bytes: file.content, rotate: 0, page });
    const frames = real === "tiff" ? Math.max(1, meta?.pages ?? 1) : 1;
    for (let i = 0; i < frames; i++) refs.push({ number: refs.length + 1, file, hasText: false, image: () => image(i) });
  }
  return { pages: refs, close: async () => void (await Promise.all(closers.map((c) => c()))) };
}

function pushPdfPages(
  refs: PageRef[],
  file: ScanFile,
  src: PdfSource,
  maxPixels: number,
  pdfjs: () => Promise<PdfJsDocument>,
  flag: (c: "suspicious-attachment", r: AttachmentReason, d: string) => void,
): void {
  let warned = false;
  for (let i = 0; i < src.pageCount; i++) {
    const render = async (): Promise<PageImage> => {
      const r = await (await pdfjs()).render(i + 1, WORK_SIDE);
      return { bytes: r.data, raw: { width: r.width, height: r.height, channels: 3 }, rotate: 0 };
    };
    refs.push({
      number: refs.length + 1,
      file,
      pdfIndex: i,
      get hasText() {
        return src.pageHasFonts(i);
      },
      text: async () => (await pdfjs()).text(i + 1),
      render,
      image: async () => {
        const img = src.pageImage(i, maxPixels);
        if (img === "too-big") {
          if (!warned) flag("suspicious-attachment", "image-too-large", `a page image is over ${maxPixels / 1e6} megapixels`);
          warned = true;
          return null;
        }
        // JPEG 2000, JBIG2, CCITT fax and the rest: pdf.js decodes and draws the page (upright).
        if (img === "other-codec") return render();
        return img ? { bytes: img.bytes, raw: img.raw, rotate: img.rotate } : null;
      },
    });
  }
}
