import type { Logger } from "pino";
import type { Decision } from "@intake/schema";
import { DEFAULT_LIMITS, inspectScan, type OcrPool, type ScanDecision, type ScanFileType, type ScanLimits } from "@intake/scan";
import type { Archive } from "@intake/archive";
import type { ScanGroup, ScanStage } from "../stage.js";

export interface InspectScanDeps {
  archive: Archive;
  ocr: OcrPool;
  logger: Logger;
  /** Bounds on one copy's work; default the scan package's. */
  scanLimits?: Partial<ScanLimits>;
}

/**
 * Step 2, once per scanned copy: pages, OCR of what the decisions need,
 * signature and seal with their evidence crops (stored in the archive for the
 * report). `fullText` when the message has no Word form to read fields from.
 */
export async function inspectScanGroup(
  messageKey: string,
  group: ScanGroup,
  fullText: boolean,
  deps: InspectScanDeps,
): Promise<ScanStage> {
  const files = [];
  for (const f of group.files) {
    files.push({ name: f.name, type: f.type as ScanFileType, content: await deps.archive.readFile(f.path) });
  }
  // The copy's share of its message's and its sender's OCR budget, when one was given at parse time.
  const perCopy = deps.scanLimits?.ocrMegapixels ?? DEFAULT_LIMITS.ocrMegapixels;
  const limits = { ...deps.scanLimits, ocrMegapixels: Math.min(perCopy, group.ocrMegapixels ?? perCopy) };
  const r = await inspectScan(files, { ocr: deps.ocr, fullText, logger: deps.logger.child({ scan: group.id }), limits });
  return {
    group: group.id,
    readable: r.readable,
    pages: r.pages,
    pagesRead: r.pagesRead,
    unread: r.unread,
    signature: await stored(messageKey, `${group.id}-signature`, r.signature, deps.archive),
    seal: await stored(messageKey, `${group.id}-seal`, r.seal, deps.archive),
    signedDate: r.signedDate,
    coverText: r.cover?.text ?? null,
    formPages: r.formPages,
    flags: r.flags,
    ocrMegapixels: r.ocrMegapixels,
    timings: r.timings,
  };
}

/** The decision with its crop stored in the archive (the record keeps the path). */
async function stored(messageKey: string, name: string, d: ScanDecision, archive: Archive): Promise<Decision> {
  const { evidence, ...rest } = d;
  if (!evidence) return rest;
  const { crop, ...where } = evidence;
  if (!crop) return { ...rest, evidence: where };
  return { ...rest, evidence: { ...where, crop: await archive.putFile(messageKey, `evidence/${name}${cropExtension(crop)}`, crop) } };
}

function cropExtension(buf: Buffer): string {
  return buf[0] === 0x89 && buf[1] === 0x50 ? ".png" : ".jpg";
}
