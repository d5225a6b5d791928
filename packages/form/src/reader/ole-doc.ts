import WordExtractor from "word-extractor";
import type { Block, Cell, DocModel, Para, Row } from "../types.js";

/** Why an OLE file could not be read as a Word document. */
export class OleProblem extends Error {
  constructor(
    readonly kind: "suspicious" | "unreadable",
    message: string,
  ) {
    super(message);
  }
}

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

function paraOf(text: string): Para {
  return { runs: [{ text, bold: false }] };
}

function cellOf(text: string): Cell {
  return { paras: text.split("\n").map(paraOf), span: 1, mergedUp: false };
}

/**
 * Rebuilds rows and cells from word-extractor's plain text, where a cell ends
 * with a tab and a row with tab-newline. Body paragraphs before a table run
 * into its first cell; a blank line is what separates them, so the first cell
 * keeps only the text after the last blank line.
 */
export function modelFromPlainText(body: string): DocModel {
  const blocks: Block[] = [];
  const text = body.replace(/\r\n?/g, "\n");
  const chunks = text.split("\t\n");
  const tail = chunks.pop() ?? "";
  let rows: Row[] = [];
  const flushTable = () => {
    if (rows.length) blocks.push({ kind: "table", rows });
    rows = [];
  };
  for (const chunk of chunks) {
    const parts = chunk.split("\t");
    let first = parts[0] ?? "";
    const blank = first.lastIndexOf("\n\n");
    if (blank >= 0 && first.slice(blank + 2).trim() !== "") {
      const before = first.slice(0, blank);
      // Paragraphs before the table: a new table starts after them.
      if (before.trim() !== "") {
        flushTable();
        for (const line of before.split("\n")) blocks.push({ kind: "para", para: paraOf(line) });
      }
      first = first.slice(blank + 2);
    }
    rows.push({ cells: [first, ...parts.slice(1)].map(cellOf) });
  }
  flushTable();
  for (const line of tail.split("\n")) blocks.push({ kind: "para", para: paraOf(line) });
  return { blocks, hasFormatting: false };
}

/** Reads a Word 97-2003 (OLE/CFB) document, including .wps files saved in that format. */
export async function readOleWord(content: Buffer): Promise<DocModel> {
  const reason = encryptionReason(content);
  if (reason) throw new OleProblem("unreadable", reason);
  let body: string;
  try {
    const doc = await new WordExtractor().extract(content);
    // Keep the dashes and quotes as typed (the default filter turns — into -).
    body = doc.getBody({ filterUnicode: false });
  } catch (e) {
    throw new OleProblem("unreadable", `not a readable Word 97-2003 file: ${(e as Error).message.slice(0, 200)}`);
  }
  return modelFromPlainText(body);
}
