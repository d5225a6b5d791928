export { composeAck, type ComposeAckInput, type ComposedAck } from "./compose.js";
export { ackDemands, ackNotes } from "./wording.js";
export { ackRecipient, chooseRecipient, type RecipientChoice } from "./recipient.js";
export { readOriginal, type OriginalMessage } from "./original.js";
export { createMailer, type Mailer, type MailerOptions, type SendResult } from "./mailer.js";
export {
  createAckHandler,
  ackKeyOf,
  type AckHandlerDeps,
  type AckPayload,
  type AckJobContext,
  type AckOutcome,
} from "./handler.js";
export type { AckStore } from "./store.js";
export { ackLogPath, ackFailedPath, readAckLog, type AckLogEntry, type AckReason } from "./sent-log.js";
export { ackReference, ackMessageId } from "./ids.js";
export { ackBackoff, ACK_BACKOFF_BASE_MS, ACK_BACKOFF_MAX_MS, ACK_JOB_ATTEMPTS } from "./retry.js";
export { classifySmtpError } from "./smtp-error.js";
