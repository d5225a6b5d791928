import type { OcrPool } from "@intake/scan";
import { defaultJobId, JOBS, jobId } from "./jobs/catalog.js";
import type { JobHandler } from "./jobs/workers.js";
import type { Queues } from "./jobs/queues.js";
import { assembleStep, parseStep, scanStep, type PipelineDeps } from "./process-message.js";

export interface ParseHandlersDeps extends PipelineDeps {
  queues: Queues;
  /** The OCR pool, made on first use so parse-only processes never load the OCR model. */
  ocr: () => Promise<OcrPool>;
}

/**
 * The job handlers of the pipeline: parse → one scan job per scanned copy →
 * assemble (a BullMQ flow, so assemble runs once every scan is done, on
 * whichever machines run those roles) → ack when the message deserves one.
 */
export function createParseHandlers(deps: ParseHandlersDeps): {
  parse: JobHandler<"parse">;
  scan: JobHandler<"scan">;
  assemble: JobHandler<"assemble">;
} {
  return {
    async parse({ messageKey }, { logger }) {
      const parsed = await parseStep(messageKey, { ...deps, logger });
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
            // A scan that fails for good must not block the record: assemble then reports it unreadable.
            opts: { ...JOBS.scan.options, jobId: defaultJobId("scan", data), ignoreDependencyOnFailure: true },
          };
        }),
      });
      return { scans: parsed.scanGroups.length };
    },

    async scan({ messageKey, group }, { logger }) {
      await scanStep(messageKey, group, { ...deps, logger, ocr: await deps.ocr() });
    },

    async assemble({ messageKey }, { logger }) {
      const { record, followUp } = await assembleStep(messageKey, { ...deps, logger });
      if (record.ack) await deps.queues.add("ack", { messageKey, reason: followUp ? "update" : "new" });
      return { kind: record.kind, submissions: record.submissions.length };
    },
  };
}
