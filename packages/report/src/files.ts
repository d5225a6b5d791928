import type { SubmissionRow } from "./rows.js";
import type { CropKind, FileKind } from "./links.js";
import { isSafeRelPath } from "./safe-path.js";

/** A file of a submission in the archive: where it is and the name to offer it under. */
export interface ArchivedFile {
  relPath: string;
  /** The sender's name for it (untrusted: for Content-Disposition, encoded). */
  name: string;
}

function attachmentPath(r: SubmissionRow, name: string): ArchivedFile | undefined {
  const a = r.record.attachments?.find((x) => x.name === name && x.stored) ?? r.record.attachments?.find((x) => x.stored === name);
  if (!a?.stored) return undefined;
  // The pipeline records the archive-relative path; a bare stored name is in the message's attachments folder.
  const relPath = a.stored.startsWith("messages/") ? a.stored : `messages/${r.messageKey}/attachments/${a.stored}`;
  return isSafeRelPath(relPath) ? { relPath, name: a.name } : undefined;
}

/** Where a row's Word file, n-th scan or raw email is in the archive; undefined when it is not there or the path is unsafe. */
export function submissionFile(r: SubmissionRow, kind: FileKind, i = 0): ArchivedFile | undefined {
  if (kind === "eml") {
    const relPath = `messages/${r.messageKey}/message.eml`;
    return isSafeRelPath(relPath) ? { relPath, name: `${r.messageKey}.eml` } : undefined;
  }
  const name = kind === "word" ? r.word : r.scan[i];
  return name ? attachmentPath(r, name) : undefined;
}

/**
 * The crop's archive path. Records give it relative to the archive; one that
 * is relative to its message folder is resolved there.
 */
export function cropPath(r: SubmissionRow, kind: CropKind): string | undefined {
  const crop = r.decisions[kind]?.evidence?.crop;
  if (!crop) return undefined;
  const p = crop.startsWith("messages/") ? crop : `messages/${r.messageKey}/${crop}`;
  return isSafeRelPath(p) ? p : undefined;
}

/** `image/png` or `image/jpeg` by magic bytes; undefined for anything else, which is never served as an image. */
export function imageType(buf: Buffer): "image/png" | "image/jpeg" | undefined {
  if (buf.length > 8 && buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (buf.length > 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return "image/jpeg";
  return undefined;
}

/**
 * `Content-Disposition: attachment` with an ASCII fallback name and the real
 * name RFC 5987-encoded, so no header injection and Chinese names survive.
 */
export function contentDisposition(name: string): string {
  const clean = name.replace(/[\x00-\x1f\x7f/\\]/g, "_").slice(0, 200) || "file";
  const ascii = clean.replace(/[^A-Za-z0-9._-]/g, "_");
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
