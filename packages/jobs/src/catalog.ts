import { z } from "zod";

const messageKey = z.string().min(1).max(300);

/**
 * Retry policies: parsing is local work (few, quick retries); the receipt
 * waits out mail-server trouble, with jitter so receipts deferred by one
 * outage do not all retry at the same instant.
 */
const QUICK = { attempts: 4, backoff: { type: "exponential", delay: 2_000 } } as const;
const SLOW = { attempts: 10, backoff: { type: "exponential", delay: 30_000, jitter: 0.5 } } as const;
/** Finished jobs are kept a while for `intake status`; the archive, not Redis, remembers what was done. */
const KEEP = { removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 }, removeOnFail: { age: 30 * 24 * 3600 } } as const;

/**
 * The one job catalog: each job's queue, payload schema and retry policy.
 * Queue names are the job names, so a role can run on its own machine.
 */
export const JOBS = {
  parse: {
    queue: "parse",
    payload: z.object({ messageKey }),
    options: { ...QUICK, ...KEEP },
  },
  scan: {
    queue: "scan",
    payload: z.object({
      messageKey,
      /** Which submission of the message the files belong to. */
      group: z.string().min(1).max(200),
      /** Archive-relative paths of the scanned files. */
      files: z.array(z.string().min(1)).max(100),
      /** OCR every page (for cover text) rather than only the sign-off page. */
      fullText: z.boolean(),
    }),
    options: { ...QUICK, ...KEEP },
  },
  assemble: {
    queue: "assemble",
    payload: z.object({ messageKey }),
    options: { ...QUICK, ...KEEP },
  },
  ack: {
    queue: "ack",
    payload: z.object({
      messageKey,
      reason: z.enum(["new", "update", "resend", "correction"]).optional(),
      /** For a corrected receipt: the reviewers' journal entry that asked for it. */
      correction: z.string().regex(/^[a-z0-9-]{1,64}$/).optional(),
    }),
    options: { ...SLOW, ...KEEP },
  },
} as const;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]["payload"]>;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/** A deterministic job id: BullMQ refuses ':' in custom ids, and all-digit ids clash with its own. */
export function jobId(name: JobName, key: string): string {
  return `${name}-${key.replace(/:/g, "_")}`;
}

/** The default id of a job from its payload: one job per message (and per scan group). */
export function defaultJobId<N extends JobName>(name: N, payload: JobPayload<N>): string {
  const p = payload as { messageKey: string; group?: string; correction?: string };
  if (name === "ack" && p.correction) return jobId(name, `${p.messageKey}.correction-${p.correction}`);
  return jobId(name, name === "scan" && p.group ? `${p.messageKey}-${p.group}` : p.messageKey);
}
