import type { Logger } from "pino";
import type { Call, MessageResult } from "@intake/schema";
import type { OcrPool, ScanLimits } from "@intake/scan";
import type { Archive } from "@intake/archive";
import { PARSED_STAGE, readStageFile, scanStagePath, type ParsedStage } from "../stage.js";
import { assembleMessage } from "../steps/assemble.js";
import { inspectScanGroup } from "../steps/inspect-scan.js";
import { recordOcrUse, senderOcrLeft, type OcrBudgets } from "../steps/ocr-budget.js";
import { readMessage } from "../steps/read-message.js";
import { readOversized } from "../steps/read-oversized.js";
import { OVERSIZED_NOTE, type OversizedNote } from "./incoming.js";

export interface PipelineDeps {
  archive: Archive;
  call: Call;
  /** Bound to the message (see messageLogger). */
  logger: Logger;
  /** OCR budgets per email and per sender; default DEFAULT_OCR_BUDGETS. */
  ocrBudgets?: OcrBudgets;
}

/** Step 1: read the archived message (or, for one too large to take, its headers) and save the parsed stage. */
export async function parseStep(messageKey: string, deps: PipelineDeps): Promise<ParsedStage> {
  const oversized = await readStageFile<OversizedNote>(deps.archive, messageKey, OVERSIZED_NOTE);
  const parsed = oversized ? await readOversized(messageKey, oversized, deps) : await readMessage(messageKey, deps);
  await deps.archive.putFile(messageKey, PARSED_STAGE, JSON.stringify(parsed));
  return parsed;
}

/** Step 2 for one scanned copy: inspect and save its stage. Full-page OCR only when there is no Word form. */
export async function scanStep(
  messageKey: string,
  groupId: string,
  deps: Omit<PipelineDeps, "call"> & { ocr: OcrPool; scanLimits?: Partial<ScanLimits> },
): Promise<void> {
  const parsed = await readStageFile<ParsedStage>(deps.archive, messageKey, PARSED_STAGE);
  if (!parsed) throw new Error(`no parsed stage for ${messageKey}`);
  const group = parsed.scanGroups.find((g) => g.id === groupId);
  if (!group) return;
  // The copy's share of its email's budget, within what its sender has left.
  const left = await senderOcrLeft(parsed.from, messageKey, groupId, deps.archive, deps.ocrBudgets);
  const share = Math.min(group.ocrMegapixels ?? Infinity, left);
  const stage = await inspectScanGroup(messageKey, { ...group, ocrMegapixels: share }, parsed.forms.length === 0, deps);
  await recordOcrUse(parsed.from, messageKey, groupId, stage.ocrMegapixels ?? 0, deps.archive);
  await deps.archive.putFile(messageKey, scanStagePath(groupId), JSON.stringify(stage));
}

/** Step 3: the record. */
export async function assembleStep(messageKey: string, deps: PipelineDeps): Promise<{ record: MessageResult; followUp: boolean }> {
  const { record, followUp } = await assembleMessage(messageKey, deps);
  return { record, followUp };
}
