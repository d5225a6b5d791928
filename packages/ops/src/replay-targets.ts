import { readArchiveStats, type Archive } from "@intake/archive";
import { JOB_NAMES, type Queues } from "@intake/jobs";

/** A failed job of a message in Redis, to clear once the message replays cleanly. */
export interface FailedJobRef {
  messageKey: string;
  remove(): Promise<void>;
}

/** Failed parse/scan/assemble jobs (a failed ack is the receipt's business: resend-ack). */
export async function failedPipelineJobs(queues: Pick<Queues, "queue">, limit = 10_000): Promise<FailedJobRef[]> {
  const out: FailedJobRef[] = [];
  for (const name of JOB_NAMES.filter((n) => n !== "ack")) {
    for (const job of await queues.queue(name).getFailed(0, limit - 1)) {
      const key = (job?.data as { messageKey?: unknown } | undefined)?.messageKey;
      if (typeof key === "string") out.push({ messageKey: key, remove: () => job.remove() });
    }
  }
  return out;
}

/**
 * The messages `replay --failed` takes: those whose record says the pipeline
 * failed, those archived without a record, and those with a failed job.
 */
export async function failedMessageKeys(archive: Archive, failedJobs: readonly FailedJobRef[]): Promise<string[]> {
  const stats = await readArchiveStats(archive);
  const want = new Set([...stats.unparsable, ...stats.pending, ...failedJobs.map((j) => j.messageKey)]);
  // Keep the archive's arrival order.
  return (await archive.listMessages()).filter((k) => want.has(k));
}
