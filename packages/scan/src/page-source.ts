import sharp, { type Metadata } from "sharp";
import { isIntakeError, type AttachmentReason, type Flag } from "@intake/schema";
import type { Logger } from "pino";
import { bmpPixels, bmpSize, heicPixels } from "./foreign-image.js";
import { pdfActiveContentDetail } from "./pdf-actions.js";
import { keepPdfProcessesFor, PdfCapExceeded, PdfSession, warmPdfProcess, type PdfCaps } from "./pdf-isolated.js";
import { WORK_SIDE } from "./raster.js";
import { sniffType } from "./sniff.js";
import { DEFAULT_LIMITS, type ScanFile, type ScanLimits } from "./types.js";

/** The limits listing takes: the page and image bounds, the PDF process's caps when other than the defaults. */
export type PageLimits = Pick<ScanLimits, "pages" | "megapixels" | "ocrMegapixels" | "fileBytes"> & Partial<ScanLimits>;

/** A page's picture: an encoded image sharp reads, or raw pixels, with the clockwise turn to apply. */
export interface PageImage {
  bytes: Buffer;
  raw?: { width: number; height: number; channels: 1 | 3 };
  rotate: number;
  /** Frame of a multi-page TIFF. */
  page?: number;
  /** Bits per sample the file says it holds, when it says (1: a black-and-white scan, whatever it is scaled to). */
  bits?: number;
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

/** The bounds of each PDF step, from the copy's limits. */
/** A PDF process started ahead (held `idleMs` when given), for a reader that should not wait for one on its first file. */
export function warmPdfReader(limits: Partial<ScanLimits> = {}, idleMs?: number): Promise<void> {
  if (idleMs !== undefined) keepPdfProcessesFor(idleMs);
  return warmPdfProcess({ ...DEFAULT_LIMITS, ...limits }.pdfMemoryMb);
}

export function pdfCapsOf(limits: ScanLimits): PdfCaps {
  return { cpuSeconds: limits.pdfCpuSeconds, totalCpuSeconds: limits.pdfTotalCpuSeconds, memoryMb: limits.pdfMemoryMb, maxPages: limits.pdfMaxPages };
}

/**
 * Verifies each file (magic bytes, size, pixel count from the header, PDF
 * encryption and active content) and lists its pages without decoding them.
 * What the libraries say about a refused file goes to the log; the flag
 * carries our reason code. A PDF is opened and read in a process of its own
 * (pdf-isolated), under CPU and memory caps: past them the file is flagged,
 * its pages stay unread. PageList.close ends those processes.
 */
export async function listPages(files: ScanFile[], given: PageLimits, flags: Flag[], log?: Logger): Promise<PageList> {
  const limits: ScanLimits = { ...DEFAULT_LIMITS, ...given };
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
      let opened: Awaited<ReturnType<typeof PdfSession.open>>;
      try {
        opened = await PdfSession.open(file.content, pdfCapsOf(limits), maxPixels);
      } catch (e) {
        // Past its caps the file is at fault; a process of ours that failed is retried.
        if (e instanceof PdfCapExceeded) {
          flag("unreadable-attachment", "too-complex", capWords(e, limits));
          continue;
        }
        if (isIntakeError(e)) throw e;
        flag("unreadable-attachment", "damaged", "PDF cannot be parsed", (e as Error).message?.slice(0, 200));
        continue;
      }
      const { session, problem, pageCount, fonts, activeContent } = opened;
      closers.push(async () => session.close());
      if (problem) {
        flag(problem.kind === "suspicious" ? "suspicious-attachment" : "unreadable-attachment", problem.reason, problem.detail, problem.cause);
        continue;
      }
      if (pageCount > limits.pdfMaxPages) {
        flag("unreadable-attachment", "too-many-pages", `PDF共${pageCount}页，超过${limits.pdfMaxPages}页的上限，未予读取`);
        continue;
      }
      // Named for reviewers, who will open the file; its pages are read all the same.
      if (activeContent.length) flags.push({ code: "suspicious-attachment", file: file.name, reason: "active-content", detail: pdfActiveContentDetail(activeContent) });
      pushPdfPages(refs, file, session, pageCount, fonts, maxPixels, limits, flag);
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
          : async (page) => ({ bytes: file.content, rotate: 0, page, ...(meta?.bitsPerSample ? { bits: meta.bitsPerSample } : {}) });
    const frames = real === "tiff" ? Math.max(1, meta?.pages ?? 1) : 1;
    for (let i = 0; i < frames; i++) refs.push({ number: refs.length + 1, file, hasText: false, image: () => image(i) });
  }
  return { pages: refs, close: async () => void (await Promise.all(closers.map((c) => c()))) };
}

/** The reviewers' words for a PDF step stopped at its caps. */
function capWords(e: PdfCapExceeded, limits: ScanLimits): string {
  const what = { cpu: `单步CPU时间超过${limits.pdfCpuSeconds}秒`, "total-cpu": `累计CPU时间超过${limits.pdfTotalCpuSeconds}秒`, memory: `内存超过${limits.pdfMemoryMb} MB` }[e.resource];
  return `PDF解析超出资源上限（${what}），文件结构异常，未能读取`;
}

function pushPdfPages(
  refs: PageRef[],
  file: ScanFile,
  session: PdfSession,
  pageCount: number,
  fonts: boolean[],
  maxPixels: number,
  limits: ScanLimits,
  flag: (c: "unreadable-attachment" | "suspicious-attachment", r: AttachmentReason, d: string) => void,
): void {
  let warned = false;
  let capped = false;
  // A page step past the caps stops the PDF's process: the file is flagged once, its pages stay unread.
  const guard = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      if (e instanceof PdfCapExceeded && !capped) {
        capped = true;
        flag("unreadable-attachment", "too-complex", capWords(e, limits));
      }
      throw e;
    }
  };
  for (let i = 0; i < pageCount; i++) {
    const render = (): Promise<PageImage> =>
      guard(async () => {
        const r = await session.render(i + 1, WORK_SIDE);
        return { bytes: r.data, raw: { width: r.width, height: r.height, channels: 3 }, rotate: 0 };
      });
    refs.push({
      number: refs.length + 1,
      file,
      pdfIndex: i,
      hasText: fonts[i] ?? false,
      text: () => guard(() => session.text(i + 1)),
      render,
      image: async () => {
        const img = await guard(() => session.image(i, maxPixels));
        if (img === "too-big") {
          if (!warned) flag("suspicious-attachment", "image-too-large", `a page image is over ${maxPixels / 1e6} megapixels`);
          warned = true;
          return null;
        }
        // JPEG 2000, JBIG2, CCITT fax and the rest: pdf.js decodes and draws the page (upright).
        if (img === "other-codec") return render();
        return img ? { bytes: img.bytes, ...(img.raw ? { raw: img.raw } : {}), rotate: img.rotate } : null;
      },
    });
  }
}
