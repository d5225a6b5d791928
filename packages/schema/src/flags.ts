import { z } from "zod";

/** The flag codes of FIELDS.md: stable strings reviewers filter on. */
export const FLAG_CODES = [
  "missing-word-file",
  "missing-scan",
  "missing-signature",
  "missing-seal",
  "missing-field",
  "invalid-field",
  "scan-mismatch",
  "country-outside-mechanism",
  "excluded-project-kind",
  "late-submission",
  "unreadable-attachment",
  "suspicious-attachment",
  "resubmission",
  /** The email was larger than the intake takes (poll.maxMessageBytes): only its headers were archived. */
  "oversized-message",
] as const;

export const FlagCode = z.enum(FLAG_CODES);
export type FlagCode = z.infer<typeof FlagCode>;

/**
 * Why an attachment could not be read (unreadable-attachment: truncated,
 * corrupt, encrypted, a format we do not read) or was refused
 * (suspicious-attachment: disguised or dangerous). Stable codes for ops and
 * filters; the words people see are the call's (`ack.reasons`), never a
 * library's message, which goes to the log.
 */
export const ATTACHMENT_REASONS = [
  // unreadable-attachment
  "damaged",
  "truncated",
  "encrypted",
  "too-large",
  "too-complex",
  /** A PDF of more pages than any form has (thousands): not read. */
  "too-many-pages",
  "empty",
  "word-legacy",
  "rtf",
  "odt",
  "not-word",
  "not-a-document",
  "winmail",
  "archive-damaged",
  "archive-encrypted",
  "archive-format",
  "forwarded-unreadable",
  "message-too-large",
  "message-unreadable",
  // suspicious-attachment
  /** A Word file under another Word format's name (.docx named .doc): read by its content, noted for reviewers only. */
  "renamed",
  "executable",
  "dangerous-type",
  "disguised",
  "archive-bomb",
  "nested-too-deep",
  "too-many-attachments",
  "active-content",
  "xml-entities",
  "image-too-large",
] as const;
export const AttachmentReason = z.enum(ATTACHMENT_REASONS);
export type AttachmentReason = z.infer<typeof AttachmentReason>;

/** One flag: its code, the field it is about (for missing-/invalid-field), and why, in words. */
export const Flag = z.object({
  code: FlagCode,
  field: z.string().optional(),
  /** A short reason for people (e.g. "check character should be 7"); never parsed. */
  detail: z.string().optional(),
  /** The attachment the flag is about, when it is about one. */
  file: z.string().optional(),
  /** For unreadable-/suspicious-attachment: why, as a stable code (its words are the call's `ack.reasons`). */
  reason: AttachmentReason.optional(),
});
export type Flag = z.infer<typeof Flag>;

/** The compact form RESULT.md uses: `code` or `code:field`. */
export function flagKey(f: Flag): string {
  return f.field ? `${f.code}:${f.field}` : f.code;
}

/** Reasons that are notes for reviewers: the file was read, so a receipt says nothing about them. */
export const REVIEWER_ONLY_REASONS: ReadonlySet<AttachmentReason> = new Set<AttachmentReason>(["renamed", "active-content"]);

/** Removes repeated flags (same code, field and file), keeping the first. */
export function uniqueFlags(flags: readonly Flag[]): Flag[] {
  const seen = new Set<string>();
  return flags.filter((f) => {
    const k = `${flagKey(f)}|${f.file ?? ""}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
