import type { SubmissionRow } from "./rows.js";

export type FileKind = "word" | "scan" | "eml";
export type CropKind = "signature" | "seal";

/** How pages link to each other and to files; the web view and the static file differ only here. */
export interface ReportLinks {
  submission(r: SubmissionRow): string;
  /** A download of a row's file (scan by position); undefined when not offered. */
  file(r: SubmissionRow, kind: FileKind, i?: number): string | undefined;
  /** The signature or seal crop as an image URL; undefined when there is none. */
  crop(r: SubmissionRow, kind: CropKind): string | undefined;
  /** The n-th page (1-based) of a row's scanned copy as an image; undefined when pages are not offered. */
  page?(r: SubmissionRow, n: number): string | undefined;
  /** The n-th receipt's raw email; undefined when not offered. */
  receiptEml(messageKey: string, n: number): string | undefined;
  /** A message's raw email (for messages without a project); undefined when not offered. */
  messageEml?(messageKey: string): string | undefined;
  /** A message's own page (its text, for messages without a project); undefined when not offered. */
  message?(messageKey: string): string | undefined;
  /** The list with these query parameters changed (undefined removes one); undefined in the static file. */
  listWith?(changes: Record<string, string | undefined>): string;
}
