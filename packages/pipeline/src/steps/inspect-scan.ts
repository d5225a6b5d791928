import type { Logger } from "pino";
import type { Evidence } from "@intake/schema";
import { inspectScan, type Decision, type OcrPool, type ScanFileType } from "@intake/scan";
import type { Archive } from "../archive/archive.js";
import type { ScanGroup, ScanStage } from "../stage.js";

export interface InspectScanDeps {
  archive: Archive;
  ocr: OcrPool;
  logger: Logger;
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
  const r = await inspectScan(files, { ocr: deps.ocr, fullText, logger: deps.logger.child({ scan: group.id }) });
  return {
    group: group.id,
    readable: r.readable,
    pages: r.pages,
    pagesRead: r.pagesRead,
    signature: await evidence(messageKey, `${group.id}-signature`, r.signature, deps.archive),
    seal: await evidence(messageKey, `${group.id}-seal`, r.seal, deps.archive),
    signedDate: r.signedDate,
    coverText: r.cover?.text ?? null,
    fullText: r.fullText,
    flags: r.flags,
    timings: r.timings,
  };
}

async function evidence(messageKey: string, name: string, d: Decision, archive: Archive): Promise<Evidence> {
  const e: Evidence = { found: d.found, confidence: d.confidence };
  if (d.page !== undefined) e.page = d.page;
  if (d.crop) e.crop = await archive.putFile(messageKey, `evidence/${name}${cropExtension(d.crop)}`, d.crop);
  return e;
}

function cropExtension(buf: Buffer): string {
  return buf[0] === 0x89 && buf[1] === 0x50 ? ".png" : ".jpg";
}
