import sharp, { type Metadata } from "sharp";
import { isIntakeError, type Flag } from "@intake/schema";
import { pdfActiveContentDetail } from "./pdf-actions.js";
import { PdfCapExceeded, PdfSessions, type PdfCaps, type PdfSession } from "./pdf-isolated.js";
import { sniffType } from "./sniff.js";
import type { ScanFile, ScanLimits } from "./types.js";

/** One page of the copy, loaded only when asked for. */
export interface PageRef {
  /** 1-based over all files. */
  number: number;
  file: ScanFile;
  /** Encoded (or raw) picture of the page and its clockwise rotation, or null when it has none we can decode. */
  image(): Promise<{ bytes: Buffer; raw?: { width: number; height: number; channels: 1 | 3 }; rotate: number; page?: number } | null>;
  /** True when a text layer may be read instead (PDF page with fonts). */
  hasText: boolean;
  /** The page's text layer (PDF pages with fonts). */
  textLayer?: () => Promise<string>;
}

/** The bounds of each PDF step, from the copy's limits. */
export function pdfCapsOf(limits: ScanLimits): PdfCaps {
  return { cpuSeconds: limits.pdfCpuSeconds, totalCpuSeconds: limits.pdfTotalCpuSeconds, memoryMb: limits.pdfMemoryMb, maxPages: limits.pdfMaxPages };
}

/** Chinese reasons for the flags the PDF bounds raise (shown to reviewers). */
const capWords = (e: PdfCapExceeded, limits: ScanLimits): string => {
  const what = { cpu: `单步CPU时间超过${limits.pdfCpuSeconds}秒`, "total-cpu": `累计CPU时间超过${limits.pdfTotalCpuSeconds}秒`, memory: `内存超过${limits.pdfMemoryMb} MB` }[e.resource];
  return `PDF解析超出资源上限（${what}），文件结构异常，未能读取`;
};

/**
 * Verifies each file (magic bytes, size, pixel count from the header, PDF
 * encryption and active content) and lists its pages without decoding them.
 * A PDF is opened in a process of its own (see pdf-isolated), held in `pdfs`
 * until the caller closes them.
 */
export async function listPages(files: ScanFile[], limits: ScanLimits, flags: Flag[], pdfs = new PdfSessions(pdfCapsOf(limits))): Promise<PageRef[]> {
  const refs: PageRef[] = [];
  const maxPixels = limits.megapixels * 1e6;
  for (const file of files) {
    const flag = (code: "unreadable-attachment" | "suspicious-attachment", detail: string) => flags.push({ code, file: file.name, detail });
    if (file.content.length > limits.fileBytes) {
      flag("unreadable-attachment", `file is over ${Math.round(limits.fileBytes / 1048576)} MB`);
      continue;
    }
    const real = sniffType(file.content);
    if (!real) {
      flag("suspicious-attachment", `content is not a PDF or an image (declared ${file.type})`);
      continue;
    }
    if (real === "pdf") {
      let opened: Awaited<ReturnType<PdfSessions["open"]>>;
      try {
        opened = await pdfs.open(file.content);
      } catch (e) {
        // Past its caps the file is at fault; a process of ours that failed is retried.
        if (e instanceof PdfCapExceeded) {
          flag("suspicious-attachment", capWords(e, limits));
          continue;
        }
        if (isIntakeError(e)) throw e;
        flag("unreadable-attachment", `PDF cannot be parsed: ${(e as Error).message.slice(0, 120)}`);
        continue;
      }
      const { problem, pageCount, fonts, session, activeContent } = opened;
      if (problem) {
        flag(problem.kind === "suspicious" ? "suspicious-attachment" : "unreadable-attachment", problem.detail);
        continue;
      }
      if (activeContent.length) flags.push({ code: "suspicious-attachment", file: file.name, detail: pdfActiveContentDetail(activeContent), notice: true });
      if (pageCount > limits.pdfMaxPages) {
        flag("suspicious-attachment", `PDF共${pageCount}页，超过${limits.pdfMaxPages}页的上限，未予读取`);
        session.close();
        continue;
      }
      pushPdfPages(refs, file, session, pageCount, fonts, maxPixels, limits, flag);
      continue;
    }
    let meta: Metadata;
    try {
      meta = await sharp(file.content, { limitInputPixels: false }).metadata();
    } catch (e) {
      flag("unreadable-attachment", `image cannot be read: ${(e as Error).message.slice(0, 120)}`);
      continue;
    }
    const w = meta.width ?? 0;
    const h = meta.pageHeight ?? meta.height ?? 0;
    if (!w || !h) {
      flag("unreadable-attachment", "image has no size");
      continue;
    }
    if (w * h > maxPixels) {
      flag("suspicious-attachment", `image of ${w}×${h} px is over ${limits.megapixels} megapixels`);
      continue;
    }
    const frames = real === "tiff" ? Math.max(1, meta.pages ?? 1) : 1;
    for (let i = 0; i < frames; i++) {
      refs.push({ number: refs.length + 1, file, hasText: false, image: async () => ({ bytes: file.content, rotate: 0, page: i }) });
    }
  }
  return refs;
}

function pushPdfPages(
  refs: PageRef[],
  file: ScanFile,
  session: PdfSession,
  pageCount: number,
  fonts: boolean[],
  maxPixels: number,
  limits: ScanLimits,
  flag: (c: "suspicious-attachment", d: string) => void,
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
        flag("suspicious-attachment", capWords(e, limits));
      }
      throw e;
    }
  };
  for (let i = 0; i < pageCount; i++) {
    refs.push({
      number: refs.length + 1,
      file,
      hasText: fonts[i] ?? false,
      textLayer: () => guard(async () => (await session.text([i + 1])).get(i + 1) ?? ""),
      image: () =>
        guard(async () => {
          const img = await session.image(i, maxPixels);
          if (img === "too-big") {
            if (!warned) flag("suspicious-attachment", `a page image is over ${maxPixels / 1e6} megapixels`);
            warned = true;
            return null;
          }
          return img ? { bytes: img.bytes, ...(img.raw ? { raw: img.raw } : {}), rotate: img.rotate } : null;
        }),
    });
  }
}
