import { z } from "zod";
import { Decision, DecisionReason } from "./decision.js";
import { Fields, Provenance } from "./fields.js";
import { Flag } from "./flags.js";

export const MessageKind = z.enum(["submission", "inquiry", "auto-reply", "bounce", "newsletter", "other"]);
export type MessageKind = z.infer<typeof MessageKind>;

/** The sign-off as RESULT.md writes it: true / false, or null when there is no scan or the machine could not decide. */
export const Signoff = z.object({
  signature: z.boolean().nullable(),
  seal: z.boolean().nullable(),
  signedDate: z.string().nullable().optional(),
  pages: z.number().int().optional(),
});
export type Signoff = z.infer<typeof Signoff>;

/** The machine's judgments about one project, each found / not-found / undecided with its evidence. */
export const Decisions = z.object({
  signature: Decision.optional(),
  seal: Decision.optional(),
  /** Whether the scanned copy is of the same form as the Word file: found = same form. */
  scanMatch: Decision.optional(),
});
export type Decisions = z.infer<typeof Decisions>;

/** Why a person must look at a record before anyone relies on it. Stable codes. */
export const REVIEW_CODES = [
  /** A machine decision (signature, seal, scan match, a field) is undecided. */
  "undecided",
  /** A step of ours failed for good (retries spent): the record says what could be done without it. */
  "step-failed",
  /** A different email arrived with the Message-ID of an earlier one: both are kept, apart. */
  "message-id-reused",
  /** A newer version of a project from another sender than the current one's: it counts only once a reviewer says so. */
  "other-sender-version",
  /** A follow-up (a file sent later to complete an earlier email) from another sender than that email's: it completes it only once a reviewer says so. */
  "other-sender-follow-up",
  /** The receiving server found the From domain unauthenticated (SPF/DKIM/DMARC): the receipt quoted nothing. */
  "sender-unverified",
  /** The email's MIME structure was refused (too many parts, too deep, too big): its attachments were not read. */
  "message-unread",
  /** The email was larger than the intake takes: only its headers were archived, the email is in the mailbox. */
  "oversized",
] as const;
export const ReviewCode = z.enum(REVIEW_CODES);
export type ReviewCode = z.infer<typeof ReviewCode>;

export const ReviewReason = z.object({
  code: ReviewCode,
  /** For "undecided": which decision ("signature", "seal", "scanMatch", "field"). */
  about: z.string().optional(),
  /** The field key, when it is about a field. */
  field: z.string().optional(),
  reason: DecisionReason.optional(),
  detail: z.string().optional(),
});
export type ReviewReason = z.infer<typeof ReviewReason>;

/** RESULT.md's `review`: needed when any reason is given. */
export const Review = z.object({
  needed: z.boolean(),
  reasons: z.array(ReviewReason),
});
export type Review = z.infer<typeof Review>;

/**
 * A version of a project held out of the project's line (another sender's):
 * the project key it would take over, and what a reviewer decided. The
 * pipeline writes `of`; `decision` comes only from the reviewers' journal.
 */
export const HeldVersion = z.object({
  of: z.string(),
  decision: z.enum(["accepted", "rejected"]).optional(),
});
export type HeldVersion = z.infer<typeof HeldVersion>;

/** One project form found in a message (RESULT.md), with the pipeline's extras. */
export const SubmissionResult = z.object({
  /** Deterministic key of this project within the call (unit + project), for linking versions. */
  projectKey: z.string().optional(),
  /** Set when this version is held for a reviewer (other-sender-version, other-sender-follow-up). */
  heldVersion: HeldVersion.optional(),
  word: z.string().nullable(),
  scan: z.array(z.string()),
  fields: Fields,
  signoff: Signoff,
  /** Flags as RESULT.md writes them: `code` or `code:field`. */
  flags: z.array(z.string()),
  /** The same flags with their reasons, for the report and the receipt. */
  flagDetails: z.array(Flag).optional(),
  sources: z.record(z.string(), Provenance).optional(),
  decisions: Decisions.optional(),
  review: Review.optional(),
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
  /** For reviewers: the name says another format than the content, which decided how it was read. */
  nameMismatch: z.string().optional(),
  /** Other names the same bytes came under in this message (sent twice, or in a forwarded copy): counted once. */
  duplicates: z.array(z.string()).optional(),
});
export type AttachmentInfo = z.infer<typeof AttachmentInfo>;

/** What the receiving server's Authentication-Results say about the From domain (pass, fail, or nothing). */
export const SenderAuth = z.object({
  verdict: z.enum(["pass", "fail", "none"]),
  /** The results that decided it, as the server wrote them. */
  detail: z.string().optional(),
});
export type SenderAuth = z.infer<typeof SenderAuth>;

/** What parsing one email yields (RESULT.md). */
export const MessageResult = z.object({
  messageId: z.string().nullable(),
  /** Deterministic key: Message-ID, else a content hash. Archive folder and job ids derive from it. */
  messageKey: z.string(),
  kind: MessageKind,
  ack: z.boolean(),
  from: z.string().nullable().optional(),
  /** Whether the From domain was authenticated where the email was received; a failure means the From may be forged. */
  senderAuth: SenderAuth.optional(),
  subject: z.string().nullable().optional(),
  /** Arrival time (IMAP INTERNALDATE, else Received/Date), ISO 8601. */
  receivedAt: z.string().nullable().optional(),
  mailboxes: z.array(z.string()).optional(),
  followUpOf: z.string().nullable().optional(),
  attachments: z.array(AttachmentInfo).optional(),
  /** Flags about the message as a whole (e.g. an unreadable attachment no project claims). */
  messageFlags: z.array(Flag).optional(),
  /** Needed when any project needs it, or the message itself (a failed step, an email too large to take). */
  review: Review.optional(),
  /** Set when a step of ours failed for good: what went wrong (the record is kept so nothing is lost). */
  error: z.string().optional(),
  /** Which step failed ("parse", "assemble"). */
  failedStep: z.string().optional(),
  submissions: z.array(SubmissionResult),
});
export type MessageResult = z.infer<typeof MessageResult>;
