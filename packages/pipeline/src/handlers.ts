import type { Job } from "bullmq";
import { isIntakeError } from "@intake/schema";
import { defaultJobId, JOBS, jobId, type JobHandler, type Queues } from "@intake/jobs";
import type { PipelineRunner } from "./runner/runner.js";

export interface ParseHandlersDeps {
  runner: PipelineRunner;
  queues: Queues;
}

/** Whether this failure ends the job: a permanent error, or the last attempt the job has. */
export function isFinalAttempt(job: Pick<Job, "attemptsMade" | "opts">, err: unknown): boolean {
  if (isIntakeError(err) && err.permanent) return true;
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * The job handlers of the pipeline: parse → one scan job per scanned copy →
 * assemble (a BullMQ flow, so assemble runs once every scan is done, on
 * whichever machines run those roles) → ack when the message deserves one.
 * Each runs one step of the shared runner; a step's final failure ends as
 * the runner says (a record asking for review), never as a silent gap.
 */
export function createParseHandlers(deps: ParseHandlersDeps): {
  parse: JobHandler<"parse">;
  scan: JobHandler<"scan">;
  assemble: JobHandler<"assemble">;
} {
  const { runner } = deps;
  return {
    async parse({ messageKey }, { job, logger }) {
      let parsed;
      try {
        parsed = await runner.parse(messageKey, logger);
      } catch (err) {
        if (isFinalAttempt(job, err)) await runner.failed(messageKey, "parse", err, logger);
        throw err;
      }
      if (parsed.scanGroups.length === 0) {
        await deps.queues.add("assemble", { messageKey });
        return { scans: 0 };
      }
      const fullText = parsed.forms.length === 0;
      await deps.queues.flow.add({
        name: "assemble",
        queueName: JOBS.assemble.queue,
        data: { messageKey },
        opts: { ...JOBS.assemble.options, jobId: jobId("assemble", messageKey) },
        children: parsed.scanGroups.map((g) => {
          const data = { messageKey, group: g.id, files: g.files.map((f) => f.path), fullText };
          return {
            name: "scan",
            queueName: JOBS.scan.queue,
            data,
            // A scan that fails for good must not block the record: assemble then sends it to a person.
            opts: { ...JOBS.scan.options, jobId: defaultJobId("scan", data), ignoreDependencyOnFailure: true },
          };
        }),
      });
      return { scans: parsed.scanGroups.length };
    },

    async scan({ messageKey, group }, { job, logger }) {
      try {
        await runner.scan(messageKey, group, job.id ? { jobId: job.id } : {});
      } catch (err) {
        if (isFinalAttempt(job, err)) await runner.scanFailed(messageKey, group, err, logger);
        throw err;
      }
    },

    async assemble({ messageKey }, { job, logger }) {
      let done;
      try {
        done = await runner.assemble(messageKey, logger);
      } catch (err) {
        if (isFinalAttempt(job, err)) await runner.failed(messageKey, "assemble", err, logger);
        throw err;
      }
      const { record, followUp } = done;
      if (record.ack) await deps.queues.add("ack", { messageKey, reason: followUp ? "update" : "new" });
      return { kind: record.kind, submissions: record.submissions.length };
    },
  };
}
