import type { AttachmentReason } from "./flags.js";

/**
 * The one error class of the project, with stable string codes. Code matches
 * on `code`, never on message text. `permanent` errors are not retried (the
 * job layer maps them to BullMQ's UnrecoverableError).
 */
export const ERROR_CODES = {
  CONFIG_INVALID: { permanent: true, text: "configuration is invalid" },
  CALL_INVALID: { permanent: true, text: "call file is invalid" },
  IMAP_AUTH: { permanent: false, text: "IMAP login failed" },
  IMAP_CONNECT: { permanent: false, text: "IMAP connection failed" },
  IMAP_UNAVAILABLE: { permanent: false, text: "IMAP server temporarily unavailable" },
  ARCHIVE_IO: { permanent: false, text: "archive write failed" },
  ARCHIVE_PATH: { permanent: true, text: "path refused: it would leave the archive" },
  MESSAGE_NOT_FOUND: { permanent: true, text: "message not in the archive" },
  ATTACHMENT_UNREADABLE: { permanent: true, text: "attachment cannot be read" },
  ATTACHMENT_SUSPICIOUS: { permanent: true, text: "attachment refused as unsafe" },
  LIMIT_EXCEEDED: { permanent: true, text: "a size, count or time limit was exceeded" },
  OCR_UNAVAILABLE: { permanent: false, text: "OCR engine could not start" },
  OCR_TIMEOUT: { permanent: false, text: "OCR took too long" },
  OCR_FAILED: { permanent: false, text: "OCR engine failed while reading" },
  PDF_WORKER_FAILED: { permanent: false, text: "the process reading a PDF failed or could not start" },
  SCAN_CRASHED: { permanent: false, text: "the scan process died or hung while reading" },
  SMTP_TEMPORARY: { permanent: false, text: "SMTP temporary failure" },
  SMTP_PERMANENT: { permanent: true, text: "SMTP permanent failure" },
  ACK_SUPPRESSED: { permanent: true, text: "acknowledgement not sent by rule" },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class IntakeError extends Error {
  readonly code: ErrorCode;
  readonly permanent: boolean;
  /** For ATTACHMENT_* errors: why, as the flag's reason code (its words are the call's). */
  readonly reason?: AttachmentReason;
  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; reason?: AttachmentReason }) {
    super(message ?? ERROR_CODES[code].text, options);
    this.name = "IntakeError";
    this.code = code;
    this.permanent = ERROR_CODES[code].permanent;
    if (options?.reason) this.reason = options.reason;
  }
}

export function isIntakeError(e: unknown, code?: ErrorCode): e is IntakeError {
  return e instanceof IntakeError && (code === undefined || e.code === code);
}
