import sharp, { type Metadata } from "sharp";
import type { Flag } from "@intake/schema";
import { openPdf, type PdfSource } from "./pdf-source.js";
import { sniffType } from "./sniff.js";
import type { ScanFile, ScanLimits } from "./types.js";

/** One page of the copy, loaded only when asked for. */
export interface PageRef {
  /** 1-based over all files. */
  number: number;
  file: ScanFile;
  /** Encoded (or raw) picture of the page and its clockwise rotation, or null when it has none we can decode. */
  image(): { bytes: Buffer; raw?: { width: number; height: number; channels: 1 | 3 }; rotate: number; page?: number } | null;
  /** True when a text layer may be read instead (PDF page with fonts). */
  hasText: boolean;
  /** Index inside its PDF, for the text layer. */
  pdfIndex?: number;
}

/**
 * Verifies each file (magic bytes, size, pixel count from the header, PDF
 * encryption and active content) and lists its pages without decoding them.
 */
export async function listPages(files: ScanFile[], limits: ScanLimits, flags: Flag[]): Promise<PageRef[]> {
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
      const { problem, source } = await openPdf(file.content);
      if (problem || !source) {
        flag(problem?.kind === "suspicious" ? "suspicious-attachment" : "unreadable-attachment", problem?.detail ?? "PDF cannot be read");
        continue;
      }
      pushPdfPages(refs, file, source, maxPixels, flag);
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
      refs.push({ number: refs.length + 1, file, hasText: false, image: () => ({ bytes: file.content, rotate: 0, page: i }) });
    }
  }
  return refs;
}

function pushPdfPages(refs: PageRef[], file: ScanFile, src: PdfSource, maxPixels: number, flag: (c: "suspicious-attachment", d: string) => void): void {
  let warned = false;
  for (let i = 0; i < src.pageCount; i++) {
    refs.push({
      number: refs.length + 1,
      file,
      pdfIndex: i,
      get hasText() {
        return src.pageHasFonts(i);
      },
      image: () => {
        const img = src.pageImage(i, maxPixels);
        if (img === "too-big") {
          if (!warned) flag("suspicious-attachment", `a page image is over ${maxPixels / 1e6} megapixels`);
          warned = true;
          return null;
        }
        return img ? { bytes: img.bytes, raw: img.raw, rotate: img.rotate } : null;
      },
    });
  }
}
