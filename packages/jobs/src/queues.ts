import { FlowProducer, Queue } from "bullmq";
import type { ConnectionOptions } from "bullmq";
import { IntakeError } from "@intake/schema";
import { defaultJobId, JOB_NAMES, JOBS, type JobName, type JobPayload } from "./catalog.js";

export interface QueuesOptions {
  /** A Redis client (shared, not closed by close()) or options for one per queue. */
  connection: ConnectionOptions;
  /** Redis key prefix of every queue; default "intake". */
  prefix?: string;
}

export interface Queues {
  /** Validates the payload and enqueues it under a deterministic id (by default one per message). */
  add<N extends JobName>(name: N, payload: JobPayload<N>, opts?: { jobId?: string }): Promise<void>;
  flow: FlowProducer;
  close(): Promise<void>;
  /** Job counts per queue and state (waiting, active, completed, failed, delayed, …). */
  counts(): Promise<Record<JobName, Record<string, number>>>;
  /** The BullMQ queue of a job, for inspection. */
  queue(name: JobName): Queue;
}

/** The producers of every job of the catalog. No connection is made until first use. */
export function createQueues(opts: QueuesOptions): Queues {
  const prefix = opts.prefix ?? "intake";
  const queues = new Map<JobName, Queue>();
  const queue = (name: JobName): Queue => {
    let q = queues.get(name);
    if (!q) {
      q = new Queue(JOBS[name].queue, { connection: opts.connection, prefix });
      // A connection error is retried by ioredis; without a listener it would crash the process.
      q.on("error", () => undefined);
      queues.set(name, q);
    }
    return q;
  };
  const flow = new FlowProducer({ connection: opts.connection, prefix });
  flow.on("error", () => undefined);
  return {
    async add(name, payload, addOpts) {
      const r = JOBS[name].payload.safeParse(payload);
      if (!r.success) {
        throw new IntakeError("CONFIG_INVALID", `payload of job ${name} is invalid: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      }
      const id = addOpts?.jobId ?? defaultJobId(name, r.data as JobPayload<typeof name>);
      await queue(name).add(name, r.data, { ...JOBS[name].options, jobId: id.replace(/:/g, "_") });
    },
    flow,
    queue,
    async counts() {
      const out = {} as Record<JobName, Record<string, number>>;
      for (const name of JOB_NAMES) out[name] = await queue(name).getJobCounts();
      return out;
    },
    async close() {
      await Promise.allSettled([...[...queues.values()].map((q) => q.close()), flow.close()]);
    },
  };
}
