import type { WordType } from "../types.js";

/** The Word container by its first bytes; null when it is none of them. */
export function sniffWordType(content: Buffer): WordType | "zip" | null {
  if (content.length >= 8 && content.readUInt32BE(0) === 0xd0cf11e0 && content.readUInt32BE(4) === 0xa1b11ae1) return "ole";
  if (content.length >= 4 && content[0] === 0x50 && content[1] === 0x4b && (content[2] === 3 || content[2] === 5 || content[2] === 7)) return "zip";
  if (content.subarray(0, 5).toString("latin1") === "{\\rtf") return "rtf";
  return null;
}

/** What a file name's extension promises. */
export function extensionType(fileName: string): WordType | null {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase();
  if (ext === "docx" || ext === "docm" || ext === "dotx") return "docx";
  if (ext === "doc" || ext === "wps" || ext === "dot") return "ole";
  if (ext === "rtf") return "rtf";
  if (ext === "odt") return "odt";
  return null;
}
