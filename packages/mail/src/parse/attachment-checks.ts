import type { Flag } from "@intake/schema";
import { extensionOf } from "./file-name.js";
import type { AttachmentRole, FileType } from "./types.js";

const WORD_TYPES: readonly FileType[] = ["docx", "ole", "rtf", "odt"];
const SCAN_TYPES: readonly FileType[] = ["pdf", "jpeg", "png", "tiff"];
const IMAGE_TYPES: readonly FileType[] = ["jpeg", "png", "tiff", "gif", "bmp", "webp"];

/** Extensions that promise a Word form or a scan, and the contents each may really have. */
const EXPECTED: Record<string, readonly FileType[]> = {
  // Word saves RTF under .doc happily; WPS writes OLE .wps files.
  doc: ["ole", "rtf"],
  dot: ["ole", "rtf"],
  wps: ["ole", "rtf"],
  wpt: ["ole", "rtf"],
  // An Office-encrypted .docx is an OLE container.
  docx: ["docx", "ole"],
  docm: ["docx", "ole"],
  dotx: ["docx", "ole"],
  dotm: ["docx", "ole"],
  rtf: ["rtf"],
  odt: ["odt"],
  // Phone apps save photos under .pdf and the reverse; harmless, and the content decides how it is read.
  pdf: ["pdf", ...IMAGE_TYPES],
  ...Object.fromEntries(["jpg", "jpeg", "jpe", "jfif", "png", "tif", "tiff", "gif", "bmp", "webp"].map((e) => [e, [...IMAGE_TYPES, "pdf"]])),
};
const WORD_EXT = new Set(["doc", "dot", "wps", "wpt", "docx", "docm", "dotx", "dotm", "rtf", "odt"]);
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
export function checkFile(name: string, type: FileType): Flag[] {
  const ext = extensionOf(name);
  const flag = (code: Flag["code"], detail: string): Flag[] => [{ code, file: name, detail }];
  if (type === "exe") return flag("suspicious-attachment", `an executable program${ext ? ` disguised as .${ext}` : ""}`);
  if (DANGEROUS_EXT.has(ext)) return flag("suspicious-attachment", `a .${ext} file can run code`);
  if (type === "tnef") {
    return flag("unreadable-attachment", "winmail.dat (Outlook rich-text wrapper): the files inside cannot be read; please resend them as ordinary attachments");
  }
  const expected = EXPECTED[ext];
  if (expected && !expected.includes(type)) {
    if (type === "unknown" || type === "text" || type === "html") {
      return flag("unreadable-attachment", `named .${ext} but the content is not a readable ${ext.toUpperCase()} file`);
    }
    return flag("suspicious-attachment", `named .${ext} but the content is ${describe(type)}`);
  }
  if (type === "unknown" && UNSUPPORTED_ARCHIVE_EXT.has(ext)) {
    return flag("unreadable-attachment", `.${ext} archives are not accepted; please send the files themselves or a .zip`);
  }
  return [];
}

function describe(type: FileType): string {
  const words: Partial<Record<FileType, string>> = {
    docx: "a Word .docx document",
    ole: "an Office (OLE) document",
    zip: "a ZIP archive",
    eml: "an email message",
  };
  return words[type] ?? `a ${type.toUpperCase()} file`;
}
