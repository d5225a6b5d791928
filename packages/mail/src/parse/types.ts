import type { Flag, MessageKind } from "@intake/schema";
import type { Logger } from "pino";
import type { SenderAuth } from "./authentication.js";
import type { MailLimits } from "./limits.js";

/** What a file is, from its magic bytes ("ole" = CFB: .doc/.wps/encrypted docx). */
export type FileType =
  | "docx" | "ole" | "rtf" | "odt" | "zip" | "pdf" | "jpeg" | "png" | "tiff" | "gif" | "bmp" | "webp" | "heif"
  | "exe" | "tnef" | "eml" | "html" | "text" | "unknown";

export type AttachmentRole = "word" | "scan" | "other";

export interface Attachment {
  /** Decoded file name as sent (untrusted). */
  name: string;
  /** Sanitised name, unique within the message: safe as a file name in the archive. */
  storedName: string;
  /** What the content is, by its magic bytes. */
  type: FileType;
  /** Content-Type as sent, or null (zip entries have none). */
  declaredType: string | null;
  content: Buffer;
  size: number;
  /** The zip or forwarded message it came out of. */
  from?: string;
  /** Word form candidate, scanned-copy candidate, or anything else. */
  role: AttachmentRole;
  /** Shown inside the body (a cid image: logos, pasted pictures). */
  inline?: boolean;
  /** For reviewers: the name says another format than the content (the content decides how it is read). */
  nameMismatch?: string;
  /** Other names the same bytes came under in this message (sent twice, or again in a forwarded copy): counted once. */
  duplicates?: string[];
}

export interface Address {
  address: string;
  name: string;
}

export interface ParsedMessage {
  /** As in the header, with <>. */
  messageId: string | null;
  /**
   * messageKeyOf: the Message-ID made safe (with a hash of it when it had to be
   * changed), else "sha256-<content digest>"; safe as a folder name and a job
   * id. The archive files a different email that reuses a Message-ID under this
   * key with a suffix (Archive.putMessage), so the archive's key is the one to use.
   */
  messageKey: string;
  subject: string | null;
  from: Address | null;
  replyTo: Address | null;
  to: string[];
  cc: string[];
  /** Null when the Date header is missing or unparsable. */
  date: Date | null;
  /** From the newest Received header, else Date. */
  receivedAt: Date | null;
  inReplyTo: string | null;
  references: string[];
  /** Lower-cased names, decoded, control characters removed, each value capped; repeats joined by "\n". */
  headers: Record<string, string>;
  /** Plain body (from HTML when only HTML), capped. */
  text: string;
  kind: MessageKind;
  /** Sent by a machine (RFC 3834 and kin, or a bounce): never answer it. */
  autoReply: boolean;
  /** Sent through a list (List-Id, List-Unsubscribe, Precedence bulk/list/junk). */
  listMail: boolean;
  attachments: Attachment[];
  /**
   * The email was refused whole before its attachments were read (over the size
   * cap, too many MIME parts, nested too deep): a submission a person must look at.
   */
  partsUnread: boolean;
  /** What the receiving server's Authentication-Results say about the From domain. */
  senderAuth: SenderAuth;
  /** suspicious-attachment / unreadable-attachment found while unpacking, `file` = the attachment's name. */
  flags: Flag[];
}

export interface ParseMessageOptions {
  /** Where warnings about bad input go. Default: none. */
  logger?: Logger;
  /** Overrides of DEFAULT_MAIL_LIMITS. */
  limits?: Partial<MailLimits>;
  /** The receiving server's authserv-id(s) trusted in Authentication-Results (see senderAuthentication). Default: all. */
  trustedAuthServIds?: readonly string[];
}
