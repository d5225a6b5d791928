import type { Logger } from "pino";
import type { Call, Flag } from "@intake/schema";
import { emptyFields, REVIEWER_ONLY_REASONS } from "@intake/schema";
import { parseMessage, type Attachment } from "@intake/mail";
import type { Archive } from "@intake/archive";
import type { ParsedStage, StoredAttachment } from "../stage.js";
import { readForm } from "./read-form.js";
import { shareOcr, type OcrBudgets } from "./ocr-budget.js";
import { planScanGroups } from "./plan-scans.js";

export interface ReadMessageDeps {
  archive: Archive;
  call: Call;
  logger: Logger;
  /** OCR budgets per email and per sender; default DEFAULT_OCR_BUDGETS. */
  ocrBudgets?: OcrBudgets;
}

/**
 * Step 1 of a message: MIME, classification, unpacking; every attachment
 * stored in the archive under its sanitised name; each Word form read; the
 * scanned copies grouped for inspection. Cheap enough to run anywhere: no OCR.
 */
export async function readMessage(messageKey: string, deps: ReadMessageDeps): Promise<ParsedStage> {
  const { archive, call, logger } = deps;
  const raw = await archive.readRaw(messageKey);
  const msg = await parseMessage(raw, { logger, trustedAuthServIds: call.authServIds });
  const sightings = await archive.sightings(messageKey);

  const attachments: StoredAttachment[] = [];
  for (const a of msg.attachments) attachments.push(await storeAttachment(messageKey, a, deps));

  const forms = [];
  for (let i = 0; i < msg.attachments.length; i++) {
    const a = msg.attachments[i]!;
    if (a.role !== "word") continue;
    const refused = msg.flags.filter((f) => refuses(f) && isAbout(f, a));
    if (refused.length) {
      forms.push({ attachment: attachments[i]!, readable: false, fields: emptyFields(), sources: {}, flags: refused });
      continue;
    }
    // A note for reviewers about the file (renamed) stays with the form it belongs to.
    const notes = msg.flags.filter((f) => f.code === "suspicious-attachment" && isAbout(f, a));
    const read = await readForm(a, attachments[i]!, { call, logger });
    forms.push(notes.length ? { ...read, flags: [...notes, ...read.flags] } : read);
  }
  const usableScans = attachments.filter(
    (s, i) => s.role === "scan" && !msg.flags.some((f) => refuses(f) && isAbout(f, msg.attachments[i]!)),
  );

  const from = msg.from?.address ?? null;
  const receivedAt = arrivalTime(sightings, msg.receivedAt, msg.date);
  const scanGroups = shareOcr(planScanGroups(usableScans, forms.length), deps.ocrBudgets);
  return {
    messageKey,
    messageId: msg.messageId,
    subject: msg.subject,
    from,
    replyTo: msg.replyTo?.address ?? null,
    inReplyTo: msg.inReplyTo,
    references: msg.references,
    receivedAt,
    mailboxes: [...new Set(sightings.map((s) => s.mailbox))].sort(),
    kind: msg.kind,
    attachments,
    forms,
    scanGroups,
    flags: msg.flags,
    partsUnread: msg.partsUnread,
    senderAuth: msg.senderAuth,
    variantOf: await archive.variantOf(messageKey),
  };
}

/** A suspicious file is not opened; one only renamed is read by its content. */
function refuses(f: Flag): boolean {
  return f.code === "suspicious-attachment" && !(f.reason && REVIEWER_ONLY_REASONS.has(f.reason));
}

function isAbout(f: Flag, a: Attachment): boolean {
  return f.file === a.name || f.file === a.storedName;
}

async function storeAttachment(messageKey: string, a: Attachment, deps: ReadMessageDeps): Promise<StoredAttachment> {
  const path = await deps.archive.putFile(messageKey, `attachments/${a.storedName}`, a.content);
  return {
    name: a.name,
    path,
    type: a.type,
    size: a.size,
    role: a.role,
    ...(a.from ? { from: a.from } : {}),
    ...(a.nameMismatch ? { nameMismatch: a.nameMismatch } : {}),
    ...(a.duplicates ? { duplicates: a.duplicates } : {}),
  };
}

/**
 * When the message reached us. The server's arrival time (IMAP INTERNALDATE,
 * earliest over both mailboxes) is what the deadline is judged on; a
 * sender-controlled Date header only when nothing better is known.
 */
export function arrivalTime(
  sightings: readonly { internalDate?: string }[],
  received: Date | null,
  date: Date | null,
): string | null {
  const internal = sightings
    .map((s) => (s.internalDate ? Date.parse(s.internalDate) : NaN))
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b)[0];
  if (internal !== undefined) return new Date(internal).toISOString();
  if (received) return received.toISOString();
  if (date) return date.toISOString();
  return null;
}
