import { readAckLog } from "@intake/ack";
import { assembleStep, jobId, parseStep, recordUnparsable, scanStep, type Archive, type ParsedStage, type Queues } from "@intake/pipeline";
import type { Call, MessageResult } from "@intake/schema";
import type { OcrPool } from "@intake/scan";
import type { Logger } from "pino";

/** What becomes of receipts after a replay. */
export type ReplayAcks =
  /** Enqueue none. */
  | "none"
  /** Enqueue a receipt only where none was sent yet (e.g. a message the fix turned into a submission). */
  | "due"
  /** Send every acknowledged submission's receipt again (a new Message-ID; the applicant gets a second one). */
  | "resend";

export interface ReplayOptions {
  archive: Archive;
  call: Call;
  logger: Logger;
  /** Message keys, oldest first (versions of a project link in arrival order). */
  keys: string[];
  /** Makes the OCR pool, only when a message has a scanned copy. */
  ocr: () => Promise<OcrPool>;
  /** Scans read at once; default 1. */
  ocrWorkers?: number;
  /** Default "due". */
  acks?: ReplayAcks;
  /** Where receipt jobs go (the daemon's ack workers send them); required unless acks is "none". */
  queues?: Pick<Queues, "add">;
  /** Called as work advances, for a progress bar. */
  onProgress?: (phase: "reading" | "scans" | "records", done: number, total: number) => void;
}

export interface ReplayOutcome {
  replayed: number;
  /** Messages that still fail, with why (each has an "other" record saying so). */
  failed: Array<{ messageKey: string; error: string }>;
  kinds: Record<string, number>;
  acksQueued: number;
  /** Receipts not queued because one was already sent (or refused, or suppressed by rule). */
  acksAlreadyHandled: number;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Re-runs the pipeline on archived messages in this process: the same steps
 * as the parse → scan → assemble jobs, overwriting each record. Safe to
 * repeat: records are rewritten, and receipts are governed by the archive's
 * sent-log, so a receipt already sent is not sent again unless acks is "resend".
 */
export async function replayMessages(opts: ReplayOptions): Promise<ReplayOutcome> {
  const { archive, call, logger } = opts;
  const deps = { archive, call, logger };
  const acks = opts.acks ?? "due";
  const outcome: ReplayOutcome = { replayed: 0, failed: [], kinds: {}, acksQueued: 0, acksAlreadyHandled: 0 };
  const failed = new Map<string, string>();
  const progress = opts.onProgress ?? (() => undefined);

  const parsed: ParsedStage[] = [];
  for (const [i, key] of opts.keys.entries()) {
    try {
      parsed.push(await parseStep(key, deps));
    } catch (err) {
      failed.set(key, errorText(err));
      logger.error({ err, messageKey: key }, "replay: message could not be read");
      await recordUnparsable(key, err, archive);
    }
    progress("reading", i + 1, opts.keys.length);
  }

  const groups = parsed.flatMap((p) => p.scanGroups.map((g) => ({ key: p.messageKey, group: g.id })));
  if (groups.length) {
    const ocr = await opts.ocr();
    const workers = Math.max(1, opts.ocrWorkers ?? 1);
    let next = 0;
    let done = 0;
    try {
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (next < groups.length) {
            const g = groups[next++]!;
            // As in the scan job: a copy that cannot be read becomes a flag at assembly, not a lost message.
            await scanStep(g.key, g.group, { ...deps, ocr }).catch((err: unknown) => logger.error({ err, messageKey: g.key }, "replay: scan failed"));
            progress("scans", ++done, groups.length);
          }
        }),
      );
    } finally {
      await ocr.close();
    }
  }

  const followUps = new Map<string, boolean>();
  for (const [i, p] of parsed.entries()) {
    try {
      const { followUp } = await assembleStep(p.messageKey, deps);
      followUps.set(p.messageKey, followUp);
    } catch (err) {
      failed.set(p.messageKey, errorText(err));
      logger.error({ err, messageKey: p.messageKey }, "replay: record could not be assembled");
      await recordUnparsable(p.messageKey, err, archive);
    }
    progress("records", i + 1, parsed.length);
  }

  const stamp = Date.now().toString(36);
  for (const key of opts.keys) {
    // Assembling a later version may have rewritten an earlier record: read what is stored now.
    const rec: MessageResult | null = await archive.readRecord(key).catch(() => null);
    if (!rec) continue;
    outcome.kinds[rec.kind] = (outcome.kinds[rec.kind] ?? 0) + 1;
    if (failed.has(key)) continue;
    outcome.replayed++;
    if (acks === "none" || !rec.ack || rec.kind !== "submission") continue;
    if (!opts.queues) throw new Error("replay: receipts requested but no queues given");
    const followUp = followUps.get(key) ?? false;
    if (acks === "due") {
      const prior = await readAckLog(archive, followUp ? `${key}.update` : key);
      if (prior && prior.status !== "sending") {
        outcome.acksAlreadyHandled++;
        continue;
      }
    }
    const reason = acks === "resend" ? "resend" : followUp ? "update" : "new";
    // Its own job id: the first receipt job of this message may still be kept (completed) under the default id.
    await opts.queues.add("ack", { messageKey: key, reason }, { jobId: jobId("ack", `${key}-replay-${stamp}`) });
    outcome.acksQueued++;
  }
  outcome.failed = [...failed].map(([messageKey, error]) => ({ messageKey, error }));
  return outcome;
}
