import { IntakeError } from "@intake/schema";
import type { Block, Cell, DocModel, Para, Row, Run } from "../types.js";
import { BOLD_OFF, BOLD_ON, extractOleWithBold } from "./ole-bold.js";

const ENCRYPTED_STREAMS = ["EncryptedPackage", "EncryptionInfo"].map((s) => Buffer.from(s, "utf16le"));

/** The FIB's fEncrypted bit (Word 97+: offset 0x0B, bit 0) and the OOXML-in-CFB encryption streams. */
function encryptionReason(content: Buffer): string | null {
  if (ENCRYPTED_STREAMS.some((s) => content.includes(s))) return "the Word file is password-protected (encrypted package)";
  const wordStream = Buffer.from("WordDocument", "utf16le");
  if (!content.includes(wordStream)) return null;
  // The WordDocument stream starts at a sector we do not resolve here; word-extractor
  // exposes no flag, so scan sector starts for the Word FIB magic (0xA5EC) instead.
  for (let off = 512; off + 12 <= content.length; off += 512) {
    if (content.readUInt16LE(off) === 0xa5ec) {
      const flags = content.readUInt16LE(off + 0x0a);
      return flags & 0x0100 ? "the Word file is password-protected (FIB fEncrypted)" : null;
    }
  }
  return null;
}

/** FIB identifiers of Word for Windows 1.x/2.0 and Word 6.0/95, which word-extractor does not read. */
const LEGACY_FIB = new Set([0xa59b, 0xa59c, 0xa5db, 0xa5dc]);

/**
 * A Word 6.0/95 (or older) document inside the compound file: its
 * WordDocument stream opens with an older FIB identifier and an nFib below
 * Word 97's. Looked for only after the reader failed, at every 64-byte
 * sector start (a small WordDocument stream lives in the mini stream).
 */
function legacyWord(content: Buffer): boolean {
  if (!content.includes(Buffer.from("WordDocument", "utf16le"))) return false;
  for (let off = 512; off + 4 <= content.length; off += 64) {
    if (LEGACY_FIB.has(content.readUInt16LE(off)) && content.readUInt16LE(off + 2) < 0xc1) return true;
  }
  return false;
}

/** Text with BOLD_ON/BOLD_OFF marks split into plain text and one bold flag per character. */
function unmark(marked: string): { text: string; bold: boolean[] } {
  let text = "";
  const bold: boolean[] = [];
  let on = false;
  for (const c of marked) {
    if (c === BOLD_ON) on = true;
    else if (c === BOLD_OFF) on = false;
    else {
      text += c;
      for (let i = 0; i < c.length; i++) bold.push(on);
    }
  }
  return { text, bold };
}

/**
 * Rebuilds rows and cells from word-extractor's plain text, where a cell ends
 * with a tab and a row with tab-newline. Body paragraphs before a table run
 * into its first cell; a blank line is what separates them, so the first cell
 * keeps only the text after the last blank line. Bold runs may be marked with
 * BOLD_ON / BOLD_OFF.
 */
export function modelFromPlainText(body: string): DocModel {
  const { text, bold } = unmark(body.replace(/\r\n?/g, "\n"));
  const hasFormatting = body.includes(BOLD_ON);
  const paraAt = (start: number, end: number): Para => {
    const runs: Run[] = [];
    for (let i = start; i < end; i++) {
      const b = bold[i] ?? false;
      const last = runs[runs.length - 1];
      if (last && last.bold === b) last.text += text[i];
      else runs.push({ text: text[i]!, bold: b });
    }
    return { runs };
  };
  /** Paragraphs of text[start, end) split at line breaks. */
  const parasAt = (start: number, end: number): Para[] => {
    const out: Para[] = [];
    let s = start;
    for (let i = start; i <= end; i++) {
      if (i === end || text[i] === "\n") {
        out.push(paraAt(s, i));
        s = i + 1;
      }
    }
    return out;
  };
  const cellAt = (start: number, end: number): Cell => ({ paras: parasAt(start, end), span: 1, mergedUp: false });

  const blocks: Block[] = [];
  let rows: Row[] = [];
  const flushTable = () => {
    if (rows.length) blocks.push({ kind: "table", rows });
    rows = [];
  };
  let pos = 0;
  for (let rowEnd = text.indexOf("\t\n", pos); rowEnd >= 0; rowEnd = text.indexOf("\t\n", pos)) {
    const bounds: [number, number][] = [];
    let s = pos;
    for (let i = pos; i <= rowEnd; i++) {
      if (i === rowEnd || text[i] === "\t") {
        bounds.push([s, i]);
        s = i + 1;
      }
    }
    const first = bounds[0]!;
    const blank = text.lastIndexOf("\n\n", first[1] - 1);
    if (blank >= first[0] && text.slice(blank + 2, first[1]).trim() !== "") {
      // Paragraphs before the table: a new table starts after them.
      if (text.slice(first[0], blank).trim() !== "") {
        flushTable();
        for (const p of parasAt(first[0], blank)) blocks.push({ kind: "para", para: p });
      }
      first[0] = blank + 2;
    }
    rows.push({ cells: bounds.map(([a, b]) => cellAt(a, b)) });
    pos = rowEnd + 2;
  }
  flushTable();
  for (const p of parasAt(pos, text.length)) blocks.push({ kind: "para", para: p });
  return { blocks, hasFormatting };
}

/** Reads a Word 97-2003 (OLE/CFB) document, including .wps files saved in that format. */
export async function readOleWord(content: Buffer): Promise<DocModel> {
  const reason = encryptionReason(content);
  if (reason) throw new IntakeError("ATTACHMENT_UNREADABLE", reason, { reason: "encrypted" });
  let body: string;
  try {
    body = await extractOleWithBold(content);
  } catch (e) {
    if (legacyWord(content)) throw new IntakeError("ATTACHMENT_UNREADABLE", "Word 6.0/95 or older file", { cause: e, reason: "word-legacy" });
    throw new IntakeError("ATTACHMENT_UNREADABLE", "not a readable Word 97-2003 file", { cause: e, reason: "damaged" });
  }
  return modelFromPlainText(body);
}
