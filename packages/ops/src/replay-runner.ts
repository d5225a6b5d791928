import { readAckLog } from "@intake/ack";
import type { Archive } from "@intake/archive";
import { jobId, type Queues } from "@intake/jobs";
import type { PipelineRunner } from "@intake/pipeline";

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
  /** The pipeline runner (the same steps as the daemon's jobs, all in this process). */
  runner: PipelineRunner;
  /** Message keys, oldest first (versions of a project link in arrival order). */
  keys: string[];
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

/**
 * Re-runs the pipeline on archived messages in this process: the same steps
 * as the parse → scan → assemble jobs, overwriting each record. Safe to
 * repeat: records are rewritten, and receipts are governed by the archive's
 * sent-log, so a receipt already sent is not sent again unless acks is "resend".
 */
export async function replayMessages(opts: ReplayOptions): Promise<ReplayOutcome> {
  const { archive } = opts;
  const acks = opts.acks ?? "due";
  const outcome: ReplayOutcome = { replayed: 0, failed: [], kinds: {}, acksQueued: 0, acksAlreadyHandled: 0 };
  const run = await opts.runner.runAll(opts.keys, opts.onProgress ? { onProgress: opts.onProgress } : {});
  const failed = new Map(run.failed.map((f) => [f.messageKey, f.error]));

  const stamp = Date.now().toString(36);
  for (const key of opts.keys) {
    const rec = run.records.get(key);
    if (!rec) continue;
    outcome.kinds[rec.kind] = (outcome.kinds[rec.kind] ?? 0) + 1;
    if (failed.has(key)) continue;
    outcome.replayed++;
    if (acks === "none" || !rec.ack || rec.kind !== "submission") continue;
    if (!opts.queues) throw new Error("replay: receipts requested but no queues given");
    const followUp = run.followUps.has(key);
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
