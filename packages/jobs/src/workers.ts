import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { ConnectionOptions } from "bullmq";
import type { Logger } from "pino";
import { isIntakeError } from "@intake/schema";
import { JOBS, type JobName, type JobPayload } from "./catalog.js";

export type JobHandler<N extends JobName> = (payload: JobPayload<N>, ctx: { job: Job; logger: Logger }) => Promise<unknown>;

export interface StartWorkersOptions {
  /** Redis client or options; must allow maxRetriesPerRequest null (BullMQ's blocking calls). */
  connection: ConnectionOptions;
  /** Redis key prefix; default "intake". */
  prefix?: string;
  /** The job names this process works on. */
  roles: JobName[];
  handlers: Partial<{ [N in JobName]: JobHandler<N> }>;
  /** Jobs run at once per queue; default 1 (scan: 1, the OCR is CPU-bound). */
  concurrency?: Partial<Record<JobName, number>>;
  logger: Logger;
  /** How long a running job's lock lasts before BullMQ deems it stalled (renewed while it runs); default 30 000 ms. */
  lockDurationMs?: number;
  /** How often stalled jobs (e.g. of a force-closed or killed worker) go back to the queue; default 30 000 ms. */
  stalledIntervalMs?: number;
  /** Times a job may be found stalled (its worker died) before it fails for good; default 5. */
  maxStalledCount?: number;
}

export interface Workers {
  /** Stops taking jobs and waits for the running ones; `force` returns them to the queue instead. */
  close(force?: boolean): Promise<void>;
}

/** One BullMQ worker per role that has a handler; a permanent IntakeError fails the job without retries. */
export function startWorkers(opts: StartWorkersOptions): Workers {
  const prefix = opts.prefix ?? "intake";
  const workers: Worker[] = [];
  for (const name of opts.roles) {
    const handler = opts.handlers[name] as JobHandler<JobName> | undefined;
    if (!handler) {
      opts.logger.warn({ queue: name }, "no handler for this role; its jobs wait in the queue");
      continue;
    }
    const spec = JOBS[name];
    const worker = new Worker(
      spec.queue,
      async (job: Job) => {
        const parsed = spec.payload.safeParse(job.data);
        const logger = opts.logger.child({ queue: name, jobId: job.id, messageKey: (job.data as { messageKey?: unknown })?.messageKey });
        if (!parsed.success) throw new UnrecoverableError(`invalid payload: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
        try {
          return await handler(parsed.data, { job, logger });
        } catch (err) {
          if (isIntakeError(err) && err.permanent) throw new UnrecoverableError(`${err.code}: ${err.message}`);
          throw err;
        }
      },
      {
        connection: opts.connection,
        prefix,
        concurrency: opts.concurrency?.[name] ?? 1,
        autorun: true,
        // BullMQ's default (1) fails a job whose worker died twice while running it: a second crash
        // or restart would then lose a receipt. Scans run in child processes, so a file that kills
        // its reader fails through the job's own retries instead.
        maxStalledCount: opts.maxStalledCount ?? 5,
        ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs } : {}),
        ...(opts.stalledIntervalMs ? { stalledInterval: opts.stalledIntervalMs } : {}),
      },
    );
    // While Redis is down every reconnect attempt errors; one line per distinct error a minute is enough.
    let last = { text: "", at: 0 };
    worker.on("error", (err) => {
      const now = Date.now();
      if (err.message === last.text && now - last.at < 60_000) return;
      last = { text: err.message, at: now };
      opts.logger.error({ queue: name, err }, "worker error");
    });
    worker.on("failed", (job, err) =>
      opts.logger.warn({ queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade, err }, "job failed"),
    );
    workers.push(worker);
  }
  return {
    async close(force = false) {
      await Promise.allSettled(workers.map((w) => w.close(force)));
    },
  };
}
