import { z } from "zod";
import { Fields, Provenance } from "./fields.js";
import { Flag } from "./flags.js";

export const MessageKind = z.enum(["submission", "inquiry", "auto-reply", "bounce", "newsletter", "other"]);
export type MessageKind = z.infer<typeof MessageKind>;

/** One decision read off the scanned copy, with how sure we are and the crop that shows it. */
export const Evidence = z.object({
  found: z.boolean(),
  confidence: z.number().min(0).max(1),
  page: z.number().int().optional(),
  /** Archive-relative path of a small PNG/JPEG crop, for the report. */
  crop: z.string().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const Signoff = z.object({
  signature: z.boolean().nullable(),
  seal: z.boolean().nullable(),
  signedDate: z.string().nullable().optional(),
  pages: z.number().int().optional(),
  signatureEvidence: Evidence.optional(),
  sealEvidence: Evidence.optional(),
});
export type Signoff = z.infer<typeof Signoff>;

/** One project form found in a message (RESULT.md), with the pipeline's extras. */
export const SubmissionResult = z.object({
  /** Deterministic key of this project within the call (unit + project), for linking versions. */
  projectKey: z.string().optional(),
  word: z.string().nullable(),
  scan: z.array(z.string()),
  fields: Fields,
  signoff: Signoff,
  /** Flags as RESULT.md writes them: `code` or `code:field`. */
  flags: z.array(z.string()),
  /** The same flags with their reasons, for the report and the receipt. */
  flagDetails: z.array(Flag).optional(),
  sources: z.record(z.string(), Provenance).optional(),
});
export type SubmissionResult = z.infer<typeof SubmissionResult>;

export const AttachmentInfo = z.object({
  /** The decoded file name as the sender wrote it (untrusted: escape before showing). */
  name: z.string(),
  /** The sanitised name it is stored under in the archive. */
  stored: z.string().optional(),
  /** What the content is, by its magic bytes. */
  type: z.string(),
  size: z.number().int(),
  /** The archive (zip) or forwarded message it came out of, if any. */
  from: z.string().optional(),
});
export type AttachmentInfo = z.infer<typeof AttachmentInfo>;

/** Why a person must look at a record before anyone relies on it (RESULT.md's `review`). */
export const ReviewReason = z.object({
  /** "step-failed": a step of ours ran out of retries; "oversized": the email was too large to take. */
  code: z.string(),
  reason: z.string().optional(),
  detail: z.string().optional(),
});
export type ReviewReason = z.infer<typeof ReviewReason>;

export const Review = z.object({
  needed: z.boolean(),
  reasons: z.array(ReviewReason),
});
export type Review = z.infer<typeof Review>;

/** What parsing one email yields (RESULT.md). */
export const MessageResult = z.object({
  messageId: z.string().nullable(),
  /** Deterministic key: Message-ID, else a content hash. Archive folder and job ids derive from it. */
  messageKey: z.string(),
  kind: MessageKind,
  ack: z.boolean(),
  from: z.string().nullable().optional(),
  subject: z.string().nullable().optional(),
  /** Arrival time (IMAP INTERNALDATE, else Received/Date), ISO 8601. */
  receivedAt: z.string().nullable().optional(),
  mailboxes: z.array(z.string()).optional(),
  followUpOf: z.string().nullable().optional(),
  attachments: z.array(AttachmentInfo).optional(),
  /** Flags about the message as a whole (e.g. an unreadable attachment no project claims). */
  messageFlags: z.array(Flag).optional(),
  /** Needed when the message itself needs a person (a failed step, an email too large to take). */
  review: Review.optional(),
  /** Set when a step of ours failed for good: what went wrong (the record is kept so nothing is lost). */
  error: z.string().optional(),
  /** Which step failed ("parse", "assemble"). */
  failedStep: z.string().optional(),
  submissions: z.array(SubmissionResult),
});
export type MessageResult = z.infer<typeof MessageResult>;
