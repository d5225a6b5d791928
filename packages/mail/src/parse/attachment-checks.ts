import type { AttachmentReason, Flag } from "@intake/schema";
import { extensionOf } from "./file-name.js";
import type { AttachmentRole, FileType } from "./types.js";

const WORD_TYPES: readonly FileType[] = ["docx", "ole", "rtf", "odt"];
const IMAGE_TYPES: readonly FileType[] = ["jpeg", "png", "tiff", "gif", "bmp", "webp", "heif"];
const SCAN_TYPES: readonly FileType[] = ["pdf", ...IMAGE_TYPES];
const IMAGE_EXT = ["jpg", "jpeg", "jpe", "jfif", "png", "tif", "tiff", "gif", "bmp", "dib", "webp", "heic", "heif", "hif", "avif"];
const WORD_EXT = new Set(["doc", "dot", "wps", "wpt", "docx", "docm", "dotx", "dotm", "rtf", "odt"]);

/**
 * Extensions that promise a Word form or a scan, and the contents each may
 * really have. Any Word format under any Word name is read by its content
 * (Word saves RTF as .doc, WPS writes OLE .wps, an encrypted .docx is OLE, a
 * .docx renamed .doc is common); a ZIP under a Word name is handed to the
 * Word reader too, which tells a damaged .docx from something else.
 */
const EXPECTED: Record<string, readonly FileType[]> = {
  ...Object.fromEntries([...WORD_EXT].map((e) => [e, [...WORD_TYPES, "zip"]])),
  // Phone apps save photos under .pdf and the reverse; harmless, and the content decides how it is read.
  pdf: SCAN_TYPES,
  ...Object.fromEntries(IMAGE_EXT.map((e) => [e, SCAN_TYPES])),
};

/** What each extension names, for the reviewers' note when the content is another format. */
const NATURAL: Record<string, FileType> = {
  doc: "ole", dot: "ole", wps: "ole", wpt: "ole", docx: "docx", docm: "docx", dotx: "docx", dotm: "docx", rtf: "rtf", odt: "odt", pdf: "pdf",
  jpg: "jpeg", jpeg: "jpeg", jpe: "jpeg", jfif: "jpeg", png: "png", tif: "tiff", tiff: "tiff", gif: "gif", bmp: "bmp", dib: "bmp", webp: "webp",
  heic: "heif", heif: "heif", hif: "heif", avif: "heif",
};
/** Names Windows (or a reviewer's desktop) runs, mounts or follows when opened. */
const DANGEROUS_EXT = new Set([
  "exe", "scr", "com", "pif", "bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "wsh", "wsc", "sct", "hta", "msi", "msp", "mst", "jar", "jnlp",
  "ps1", "psm1", "psd1", "lnk", "url", "scf", "cpl", "reg", "inf", "dll", "sys", "msc", "chm", "hlp", "xll", "gadget", "application",
  "appx", "msix", "appref-ms", "settingcontent-ms", "library-ms", "search-ms", "iso", "img", "vhd", "vhdx", "apk", "sh", "command", "desktop",
]);
const UNSUPPORTED_ARCHIVE_EXT = new Set(["rar", "7z", "tar", "gz", "tgz", "bz2", "xz", "arj", "cab", "lzh", "z"]);

/** Named like a Word form or a scanned copy (whatever the content turns out to be). */
export function claimsFormOrScan(name: string): boolean {
  return extensionOf(name) in EXPECTED;
}

/** Word form candidate, scan candidate or other, from the content first and the name second. */
export function roleOf(type: FileType, name: string, content: Buffer): AttachmentRole {
  // Named to run as a program: never the form or the scan, whatever is inside.
  if (DANGEROUS_EXT.has(extensionOf(name))) return "other";
  if (type === "zip" && WORD_EXT.has(extensionOf(name))) return "word";
  if (WORD_TYPES.includes(type)) {
    if (type !== "ole") return "word";
    // An OLE file is a Word form when named like one or when it holds a Word stream (or an encrypted package).
    if (WORD_EXT.has(extensionOf(name)) || hasOleStream(content, "WordDocument") || hasOleStream(content, "EncryptedPackage")) return "word";
    return "other";
  }
  return SCAN_TYPES.includes(type) ? "scan" : "other";
}

function hasOleStream(content: Buffer, name: string): boolean {
  return content.includes(Buffer.from(name, "utf16le"));
}

/**
 * Flags a file earns by what it is versus what it claims to be: an
 * executable anywhere, a form or scan whose content is not what its
 * extension says, a winmail.dat, an archive format we cannot open.
 */
export function checkFile(name: string, type: FileType, content: Buffer): Flag[] {
  const size = content.length;
  const ext = extensionOf(name);
  const flag = (code: Flag["code"], reason: AttachmentReason, detail: string): Flag[] => [{ code, file: name, reason, detail }];
  if (type === "exe") return flag("suspicious-attachment", "executable", `an executable program${ext ? ` disguised as .${ext}` : ""}`);
  if (DANGEROUS_EXT.has(ext)) return flag("suspicious-attachment", "dangerous-type", `a .${ext} file can run code`);
  if (type === "tnef") return flag("unreadable-attachment", "winmail", "winmail.dat (Outlook rich-text wrapper)");
  const expected = EXPECTED[ext];
  if (expected && !expected.includes(type)) {
    if (size === 0) return flag("unreadable-attachment", "empty", `named .${ext} but empty`);
    if (type === "unknown" || type === "text" || type === "html") {
      return flag("unreadable-attachment", "not-a-document", `named .${ext} but the content is not a readable ${ext.toUpperCase()} file`);
    }
    return flag("suspicious-attachment", "disguised", `named .${ext} but the content is ${describe(type)}`);
  }
  if (type === "unknown" && UNSUPPORTED_ARCHIVE_EXT.has(ext)) return flag("unreadable-attachment", "archive-format", `.${ext} archives are not read`);
  if (renamedWord(ext, type, content)) return flag("suspicious-attachment", "renamed", `named .${ext} but the content is ${describe(type)}; read by its content`);
  return [];
}

/** A .docx under a Word 97-2003 name or the reverse (an encrypted .docx is an OLE file by right). */
function renamedWord(ext: string, type: FileType, content: Buffer): boolean {
  const natural = NATURAL[ext];
  if (natural === "ole" && type === "docx") return true;
  return natural === "docx" && type === "ole" && hasOleStream(content, "WordDocument") && !hasOleStream(content, "EncryptedPackage");
}

/**
 * A note for reviewers when a form or scan is read under a name that says
 * another format (a .docx named .doc, a PDF named .jpg); null when they agree.
 */
export function nameMismatch(name: string, type: FileType): string | null {
  const ext = extensionOf(name);
  const natural = NATURAL[ext];
  if (!natural || natural === type || !EXPECTED[ext]?.includes(type)) return null;
  return `文件名为.${ext}，内容为${TYPE_WORDS[type] ?? type.toUpperCase()}`;
}

const TYPE_WORDS: Partial<Record<FileType, string>> = {
  docx: "Word .docx文档", ole: "Word 97-2003（.doc）文档", rtf: "RTF文档", odt: "OpenDocument文档", zip: "ZIP压缩文件", pdf: "PDF文件",
  jpeg: "JPEG图片", png: "PNG图片", tiff: "TIFF图片", gif: "GIF图片", bmp: "BMP图片", webp: "WebP图片", heif: "HEIC/HEIF图片",
};

function describe(type: FileType): string {
  const words: Partial<Record<FileType, string>> = {
    docx: "a Word .docx document",
    ole: "an Office (OLE) document",
    zip: "a ZIP archive",
    eml: "an email message",
  };
  return words[type] ?? `a ${type.toUpperCase()} file`;
}
