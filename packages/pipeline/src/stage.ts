import type { Decision, Fields, Flag, Provenance, ReviewReason, ScanPage, SenderAuth } from "@intake/schema";
import type { Archive } from "@intake/archive";

// The pipeline runs as separate jobs (parse → scan per group → assemble) that
// may run on different machines; what one step hands to the next is a JSON
// file in the message's archive folder, so a retried or replayed step starts
// from the archive, not from memory.

export const PARSED_STAGE = "work/parsed.json";
export const scanStagePath = (group: string): string => `work/scan-${group}.json`;

export interface StoredAttachment {
  /** Decoded name as sent (untrusted). */
  name: string;
  /** Archive-relative path of the stored copy. */
  path: string;
  type: string;
  size: number;
  role: "word" | "scan" | "other";
  from?: string;
  /** The name says another format than the content (read by its content). */
  nameMismatch?: string;
  /** Other names of the same bytes in this message (counted once). */
  duplicates?: string[];
}

export interface FormStage {
  attachment: StoredAttachment;
  readable: boolean;
  fields: Fields;
  sources: Record<string, Provenance>;
  flags: Flag[];
}

export interface ScanGroup {
  /** Stable id within the message (safe in a file name). */
  id: string;
  files: StoredAttachment[];
  /** OCR work this copy may use, in megapixels: its share of the message's and the sender's budget. */
  ocrMegapixels?: number;
}

export interface ParsedStage {
  messageKey: string;
  messageId: string | null;
  subject: string | null;
  from: string | null;
  replyTo: string | null;
  inReplyTo: string | null;
  references: string[];
  /** ISO time the message reached us: IMAP INTERNALDATE, else Received, else Date. */
  receivedAt: string | null;
  mailboxes: string[];
  kind: import("@intake/schema").MessageKind;
  attachments: StoredAttachment[];
  forms: FormStage[];
  scanGroups: ScanGroup[];
  /** Flags raised while unpacking (with the file they are about). */
  flags: Flag[];
  /** What the receiving server's Authentication-Results say about the From domain. */
  senderAuth?: SenderAuth;
  /** The email was refused whole before its attachments were read (size, MIME parts, nesting). */
  partsUnread?: boolean;
  /** The key of an earlier, different email with this one's Message-ID (both are kept). */
  variantOf?: string | null;
  /** Why the message needs a person whatever the later steps find (an email too large to take). */
  reviewReasons?: ReviewReason[];
}

export interface ScanStage {
  group: string;
  readable: boolean;
  pages: number;
  pagesRead: number;
  /** Pages not read, and why (the page cap, the work budget, a codec we cannot decode). */
  unread?: { page: number; reason: string }[];
  /** The detector's own decisions; the call's thresholds are applied when the record is assembled. */
  signature: Decision;
  seal: Decision;
  signedDate: string | null;
  coverText: string | null;
  /** Every page read as structured data, when the copy was read in full (no Word form came). */
  formPages: ScanPage[] | null;
  flags: Flag[];
  /** OCR work done, in megapixels. */
  ocrMegapixels?: number;
  timings: Record<string, number>;
}

/** Archive-relative path of a file in a message's folder. */
export const messageRel = (messageKey: string, rel: string): string => `messages/${messageKey}/${rel}`;

/** A step's JSON file from a message's folder, or null when that step has not written it. */
export async function readStageFile<T>(archive: Archive, messageKey: string, rel: string): Promise<T | null> {
  try {
    return JSON.parse((await archive.readFile(messageRel(messageKey, rel))).toString("utf8")) as T;
  } catch {
    return null;
  }
}
