import type { MessageResult, ReviewReason } from "@intake/schema";
import { rawMessageId } from "@intake/mail";
import type { Archive } from "@intake/archive";
import { PARSED_STAGE, readStageFile, type ParsedStage } from "../stage.js";

/** The steps whose final failure leaves a record (a scan's failure is told in its message's record). */
export type RecordStep = "parse" | "assemble";

export function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 2_000);
}

/**
 * The record of a message a step of ours failed on for good (retries spent,
 * or a one-shot run): kept so the email is never lost from the report, with
 * the reason, marked for review, and replayable. What the parse step learnt
 * (kind, sender, subject, attachments) is kept; no receipt goes out — our
 * failure must not reach the applicant as a demand, and a replay that
 * succeeds queues the receipt then.
 */
export async function recordStepFailure(archive: Archive, messageKey: string, step: RecordStep, err: unknown): Promise<MessageResult> {
  const parsed = await readStageFile<ParsedStage>(archive, messageKey, PARSED_STAGE);
  const error = errorText(err);
  const reason: ReviewReason = { code: "step-failed", reason: "job-failed", detail: `${step}: ${error}` };
  let messageId = parsed?.messageId ?? null;
  if (!parsed) {
    // Written as the parse step writes it, with its angle brackets.
    const id = await archive.readRaw(messageKey).then(rawMessageId, () => null);
    messageId = id ? `<${id}>` : null;
  }
  const record: MessageResult = {
    messageId,
    messageKey,
    kind: parsed?.kind ?? "other",
    ack: false,
    ...(parsed
      ? {
          from: parsed.from,
          subject: parsed.subject,
          receivedAt: parsed.receivedAt,
          mailboxes: parsed.mailboxes,
          attachments: parsed.attachments.map((a) => ({ name: a.name, stored: a.path, type: a.type, size: a.size, ...(a.from ? { from: a.from } : {}) })),
          messageFlags: parsed.flags,
        }
      : {}),
    review: { needed: true, reasons: [...(parsed?.reviewReasons ?? []), reason] },
    error,
    failedStep: step,
    submissions: [],
  };
  await archive.putRecord(messageKey, record);
  return record;
}
