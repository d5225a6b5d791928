import type { Logger } from "pino";
import type { Flag, ReviewReason } from "@intake/schema";
import { parseMessage } from "@intake/mail";
import type { Archive } from "@intake/archive";
import type { OversizedNote } from "../runner/incoming.js";
import type { ParsedStage } from "../stage.js";
import { arrivalTime } from "./read-message.js";

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * Step 1 for an email too large to take: only its headers were archived. It
 * is classified from them (a bounce stays a bounce) but never taken for a
 * submission, since its attachments were not seen; it carries a flag and
 * goes to a person, who finds it unmarked in the mailbox.
 */
export async function readOversized(messageKey: string, note: OversizedNote, deps: { archive: Archive; logger: Logger }): Promise<ParsedStage> {
  const raw = await deps.archive.readRaw(messageKey);
  const msg = await parseMessage(raw, { logger: deps.logger });
  const sightings = await deps.archive.sightings(messageKey);
  const detail = `${mb(note.size)}，上限 ${mb(note.limit)}`;
  const flag: Flag = { code: "oversized-message", detail };
  const review: ReviewReason = { code: "oversized", detail: `email of ${note.size} bytes exceeds poll.maxMessageBytes (${note.limit}); only its headers were archived, the email stays unmarked in the mailbox` };
  return {
    messageKey,
    messageId: msg.messageId,
    subject: msg.subject,
    from: msg.from?.address ?? null,
    replyTo: msg.replyTo?.address ?? null,
    inReplyTo: msg.inReplyTo,
    references: msg.references,
    receivedAt: arrivalTime(sightings, msg.receivedAt, msg.date),
    mailboxes: [...new Set(sightings.map((s) => s.mailbox))].sort(),
    kind: msg.kind === "submission" ? "other" : msg.kind,
    attachments: [],
    forms: [],
    scanGroups: [],
    flags: [flag],
    reviewReasons: [review],
  };
}
