import { isIntakeError } from "@intake/schema";
import type { JobHandler, JobName } from "@intake/jobs";
import type { IncomingMessage, IngestResult } from "@intake/pipeline";
import type { IntakeMetrics } from "./metrics.js";

type Handlers = Partial<{ [N in JobName]: JobHandler<N> }>;

function receiptOutcome(result: unknown): string {
  const sent = (result as { sent?: unknown } | null)?.sent;
  return sent === true ? "sent" : "skipped";
}

/**
 * Wraps job handlers so each run is timed (intake_job_duration_seconds), scan
 * runs feed intake_ocr_seconds and ack runs count receipts by outcome. The
 * handlers' behaviour, results and errors are unchanged.
 */
export function instrumentHandlers<H extends Handlers>(handlers: H, metrics: IntakeMetrics): H {
  const out: Handlers = {};
  for (const [name, handler] of Object.entries(handlers) as Array<[JobName, JobHandler<JobName> | undefined]>) {
    if (!handler) continue;
    const wrapped: JobHandler<JobName> = async (payload, ctx) => {
      const end = metrics.jobDuration.startTimer({ queue: name });
      const endOcr = name === "scan" ? metrics.ocrSeconds.startTimer() : null;
      try {
        const result = await handler(payload, ctx);
        end({ outcome: "completed" });
        endOcr?.();
        if (name === "ack") metrics.receipts.inc({ outcome: receiptOutcome(result) });
        return result;
      } catch (err) {
        end({ outcome: "failed" });
        if (name === "ack") {
          metrics.receipts.inc({ outcome: isIntakeError(err) && err.permanent ? "failed" : "deferred" });
        }
        throw err;
      }
    };
    (out as Record<string, unknown>)[name] = wrapped;
  }
  return out as H;
}

/** Wraps the ingest function so each message taken counts in intake_messages_seen_total and stamps the mailbox's last message time. */
export function instrumentIngest(
  ingest: (msg: IncomingMessage) => Promise<IngestResult>,
  metrics: IntakeMetrics,
): (msg: IncomingMessage) => Promise<IngestResult> {
  return async (msg) => {
    const r = await ingest(msg);
    metrics.messagesSeen.inc({ mailbox: msg.mailbox, new: String(r.created) });
    metrics.lastMessage.setToCurrentTime({ mailbox: msg.mailbox });
    return r;
  };
}
