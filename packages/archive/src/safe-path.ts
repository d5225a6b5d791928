import { createHash } from "node:crypto";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { IntakeError } from "@intake/schema";

/** Longest stored name segment, in characters. */
const MAX_SEGMENT = 120;

/** A message key as messageKeyOf makes it; anything else is refused before it touches the disk. */
export function checkKey(key: string): string {
  if (!/^[A-Za-z0-9_@+=-][A-Za-z0-9._@+=-]{0,199}$/.test(key)) {
    throw new IntakeError("ARCHIVE_PATH", `not a message key: ${JSON.stringify(key.slice(0, 80))}`);
  }
  return key;
}

/**
 * One path segment from untrusted text (an attachment name): control and
 * path characters become '_', no leading dot, length capped keeping the
 * extension. "." and ".." are refused rather than renamed.
 */
export function safeSegment(segment: string): string {
  if (segment === "." || segment === ".." || segment === "") {
    throw new IntakeError("ARCHIVE_PATH", `path segment ${JSON.stringify(segment)} refused`);
  }
  let s = segment
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|\u202a-\u202e\u2066-\u2069]/g, "_")
    .replace(/^[.\s]+/, (m) => "_".repeat(m.length))
    .replace(/[.\s]+$/, (m) => "_".repeat(m.length));
  if (s.length > MAX_SEGMENT) {
    const dot = s.lastIndexOf(".");
    const ext = dot > 0 && s.length - dot <= 12 ? s.slice(dot) : "";
    const hash = createHash("sha256").update(segment).digest("hex").slice(0, 10);
    s = `${s.slice(0, MAX_SEGMENT - ext.length - 11)}-${hash}${ext}`;
  }
  return s;
}

/** Splits a relative path on / and \ and makes every segment safe. */
export function safeRelPath(relPath: string): string[] {
  if (isAbsolute(relPath) || /^[A-Za-z]:/.test(relPath)) {
    throw new IntakeError("ARCHIVE_PATH", `absolute path ${JSON.stringify(relPath.slice(0, 120))} refused`);
  }
  return relPath.split(/[/\\]+/).filter((s) => s !== "").map(safeSegment);
}

/** Resolves an archive-relative path, refusing any that lands outside the root. */
export function insideRoot(root: string, relPath: string): string {
  const full = resolve(root, relPath);
  const rel = relative(root, full);
  if (rel === "" || rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel)) {
    throw new IntakeError("ARCHIVE_PATH", `path ${JSON.stringify(relPath.slice(0, 120))} is outside the archive`);
  }
  return full;
}
