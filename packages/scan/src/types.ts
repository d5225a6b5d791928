import type { Flag } from "@intake/schema";
import type { Logger } from "pino";
import type { OcrPool } from "./ocr-pool.js";

/** The type of a scanned-copy file, decided by the caller from magic bytes and verified here. */
export type ScanFileType = "pdf" | "jpeg" | "png" | "tiff" | "gif" | "bmp" | "webp";

export interface ScanFile {
  name: string;
  type: ScanFileType;
  content: Buffer;
}

/** One yes/no finding with how sure it is and where it was seen. */
export interface Decision {
  found: boolean;
  /** 0..1: how sure the finding (found or not found) is. */
  confidence: number;
  /** 1-based page of the copy the finding is about. */
  page?: number;
  /** A small JPEG of the evidence (≤ ~60 KB). */
  crop?: Buffer;
}

export interface ScanResult {
  /** False when nothing could be read (encrypted/corrupt/refused). */
  readable: boolean;
  /** Pages found in the copy (all files together). */
  pages: number;
  /** Pages actually looked at (capped by limits.pages). */
  pagesRead: number;
  /** The unit head's handwritten signature beside 申报单位负责人（签字）. */
  signature: Decision;
  /** A round official seal (red in colour scans, dark in grey scans). */
  seal: Decision;
  /** YYYY-MM-DD written under the seal, when readable. */
  signedDate: string | null;
  /** OCR (or text-layer) text of the cover page. */
  cover: { text: string; page: number } | null;
  /** Text of every page read (only with opts.fullText), "\f" between pages. */
  fullText: string | null;
  /** unreadable-attachment / suspicious-attachment flags, with file and detail. */
  flags: Flag[];
  /** Milliseconds per stage. */
  timings: Record<string, number>;
}

export interface ScanLimits {
  /** Pages looked at per copy (all files together). Default 20. */
  pages: number;
  /** Largest image accepted, in megapixels, checked from the header before decoding. Default 100. */
  megapixels: number;
  /** Time budget for one copy in ms; work stops at the next page boundary past it. Default 60000. */
  timeMs: number;
  /** Largest file accepted, in bytes. Default 50 MB. */
  fileBytes: number;
}

export const DEFAULT_LIMITS: ScanLimits = {
  pages: 20,
  megapixels: 100,
  timeMs: 60_000,
  fileBytes: 50 * 1024 * 1024,
};

export interface InspectOptions {
  ocr: OcrPool;
  /** OCR every page read and return it in fullText. Default false. */
  fullText?: boolean;
  /** Parent logger; a child is used. Default: silent. */
  logger?: Logger;
  /** Overrides of DEFAULT_LIMITS. */
  limits?: Partial<ScanLimits>;
}
