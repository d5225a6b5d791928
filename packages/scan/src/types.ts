import type { Decision, DecisionEvidence, DecisionReason, Flag, ScanPage } from "@intake/schema";
import type { Logger } from "pino";
import type { OcrPool } from "./ocr-pool.js";

/** The type of a scanned-copy file, decided by the caller from magic bytes and verified here. */
export type ScanFileType = "pdf" | "jpeg" | "png" | "tiff" | "gif" | "bmp" | "webp" | "heif";

export interface ScanFile {
  name: string;
  type: ScanFileType;
  content: Buffer;
}

/**
 * A decision as the scan makes it: the schema's Decision (found / not-found /
 * undecided, confidence, reason, evidence), with the evidence crop as bytes
 * (the pipeline stores it in the archive and keeps the path).
 */
export interface ScanDecision extends Omit<Decision, "evidence"> {
  evidence?: Omit<DecisionEvidence, "crop"> & {
    /** A small upright JPEG of the evidence (≤ ~60 KB). */
    crop?: Buffer;
  };
}

/** A page that could not be read, and why (never the applicant's fault by itself). */
export interface UnreadPage {
  page: number;
  reason: Extract<DecisionReason, "budget-spent" | "page-not-read" | "undecodable">;
}

export interface ScanResult {
  /** False when nothing could be read (encrypted/corrupt/refused). */
  readable: boolean;
  /** Pages found in the copy (all files together). */
  pages: number;
  /** Pages actually looked at (capped by limits.pages). */
  pagesRead: number;
  /** Pages not read, and why: what a decision about them could not see. */
  unread: UnreadPage[];
  /** The unit head's handwritten signature beside 申报单位负责人（签字）. */
  signature: ScanDecision;
  /** A round official seal (red in colour scans, dark in grey scans). */
  seal: ScanDecision;
  /** YYYY-MM-DD written under the seal, when readable. */
  signedDate: string | null;
  /** OCR (or text-layer) text of the cover page. */
  cover: { text: string; page: number } | null;
  /** Every page read, as structured data (only with opts.fullText): what a form's fields are read from. */
  formPages: ScanPage[] | null;
  /** unreadable-attachment / suspicious-attachment flags, with file and detail. */
  flags: Flag[];
  /** OCR work done, in megapixels of OCR input (what limits.ocrMegapixels bounds). */
  ocrMegapixels: number;
  /** Milliseconds per stage. */
  timings: Record<string, number>;
}

/**
 * Bounds on the work one copy may cost. They count work done (pages, OCR'd
 * pixels), not the wall clock, so a loaded machine reads exactly what an idle
 * one reads; what a bound leaves unread is undecided, never "missing".
 */
export interface ScanLimits {
  /** Pages looked at per copy (all files together). Default 20. */
  pages: number;
  /** Largest image accepted, in megapixels, checked from the header before decoding. Default 100. */
  megapixels: number;
  /** OCR work per copy, in megapixels of OCR input (a full page pass is ~2–3). Default 400; 0 reads nothing of the copy (undecided, budget-spent). */
  ocrMegapixels: number;
  /** Largest file accepted, in bytes. Default 50 MB. */
  fileBytes: number;
  /**
   * CPU seconds one PDF step may use (opening and listing it, one page's image,
   * one page's text layer) in the process that reads the PDF; past it the
   * process is stopped and the file flagged. Default 20.
   */
  pdfCpuSeconds: number;
  /** CPU seconds all the steps of one PDF may use together; past it likewise. Default 30. */
  pdfTotalCpuSeconds: number;
  /** Resident memory of the process that reads a PDF, in MB; past it likewise (pdf.js drawing a page needs about 220). Default 384. */
  pdfMemoryMb: number;
  /** A PDF with more pages than this is flagged and not read (a form is a few pages). Default 5000. */
  pdfMaxPages: number;
}

export const DEFAULT_LIMITS: ScanLimits = {
  pages: 20,
  megapixels: 100,
  ocrMegapixels: 400,
  fileBytes: 50 * 1024 * 1024,
  pdfCpuSeconds: 20,
  pdfTotalCpuSeconds: 30,
  pdfMemoryMb: 384,
  pdfMaxPages: 5000,
};

export interface InspectOptions {
  ocr: OcrPool;
  /** Read every page up to the limit, as structured pages (`pages`), with the stronger engine. Default false. */
  fullText?: boolean;
  /** Parent logger; a child is used. Default: silent. */
  logger?: Logger;
  /** Overrides of DEFAULT_LIMITS. */
  limits?: Partial<ScanLimits>;
}
