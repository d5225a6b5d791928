/**
 * True when an archive-relative path cannot leave the archive: no absolute
 * paths, no `..` or empty segments, no backslashes or control characters.
 * Checked before handing a path to the archive, which checks again.
 */
export function isSafeRelPath(p: string): boolean {
  if (p.length === 0 || p.length > 1024) return false;
  if (/[\\\x00-\x1f]/.test(p) || p.startsWith("/") || /^[a-zA-Z]:/.test(p)) return false;
  return p.split("/").every((seg) => seg !== "" && seg !== "." && seg !== "..");
}
