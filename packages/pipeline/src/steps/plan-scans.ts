import type { ScanGroup, StoredAttachment } from "../stage.js";

const IMAGE_TYPES = new Set(["jpeg", "png", "tiff", "gif", "bmp", "webp"]);

/**
 * Groups the scanned-copy files into copies of one form each: a PDF is one
 * copy; page photos belong together. With one form in the message all photos
 * are its pages; with several, photos are grouped by their name without page
 * numbers (项目A-1.jpg, 项目A-2.jpg).
 */
export function planScanGroups(scans: readonly StoredAttachment[], formCount: number): ScanGroup[] {
  const groups: ScanGroup[] = [];
  const images: StoredAttachment[] = [];
  for (const s of scans) {
    if (IMAGE_TYPES.has(s.type)) images.push(s);
    else groups.push({ id: `g${groups.length + 1}`, files: [s] });
  }
  if (images.length === 0) return groups;
  if (formCount <= 1) {
    groups.push({ id: `g${groups.length + 1}`, files: sortPages(images) });
    return groups;
  }
  const byStem = new Map<string, StoredAttachment[]>();
  for (const img of images) {
    const stem = pageStem(img.name);
    byStem.set(stem, [...(byStem.get(stem) ?? []), img]);
  }
  for (const files of byStem.values()) groups.push({ id: `g${groups.length + 1}`, files: sortPages(files) });
  return groups;
}

/** The name without extension and trailing page number ("扫描件-第2页.jpg" → "扫描件"). */
export function pageStem(name: string): string {
  return name
    .replace(/\.[^.]*$/, "")
    .replace(/[\s_\-（(第pP]*\d+[页)）]?$/u, "")
    .trim();
}

function sortPages(files: StoredAttachment[]): StoredAttachment[] {
  return [...files].sort((a, b) => a.name.localeCompare(b.name, "zh", { numeric: true }));
}
