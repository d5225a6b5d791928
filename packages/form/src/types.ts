import type { Call, Fields, Flag, Provenance } from "@intake/schema";
import type { Logger } from "pino";

/** The Word container, decided by content: ZIP with word/document.xml, CFB/OLE (doc, wps, encrypted docx), RTF, ODF text. */
export type WordType = "docx" | "ole" | "rtf" | "odt";

export interface FormResult {
  /** false when the file could not be read at all. */
  readable: boolean;
  /** emptyFields() filled in; null where empty. */
  fields: Fields;
  /** Where each value was found ({source:"word", table,row,cell}). */
  sources: Record<string, Provenance>;
  flags: Flag[];
}

/** Caps on the work one Word file may cause. */
export interface WordLimits {
  /** Total uncompressed bytes read from a ZIP container (default 20 MB). */
  maxUncompressedBytes: number;
  /** Entries in a ZIP central directory (default 1000). */
  maxEntries: number;
  /** Uncompressed/compressed size of one entry (default 100). */
  maxRatio: number;
  /** Wall-clock time for one file (default 15 000 ms). */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: WordLimits = {
  maxUncompressedBytes: 20 * 1024 * 1024,
  maxEntries: 1000,
  maxRatio: 100,
  timeoutMs: 15_000,
};

export interface ParseWordOptions {
  call: Call;
  /** The attachment's name as sent (only used in flags and to compare with the content). */
  fileName: string;
  /** The type the caller sniffed; verified again here. */
  type: WordType;
  logger?: Logger;
  /** Caps (defaults: 20 MB uncompressed total, 1000 zip entries, ratio 100, 15 s). */
  limits?: Partial<WordLimits>;
}

/** A run of text with the formatting that can carry an answer (a chosen option in bold). */
export interface Run {
  text: string;
  bold: boolean;
}

/** One paragraph of a cell or of the body. */
export interface Para {
  runs: Run[];
}

export interface Cell {
  paras: Para[];
  /** Grid columns this cell spans (w:gridSpan), 1 when unknown. */
  span: number;
  /** A vertically merged continuation cell (w:vMerge without restart). */
  mergedUp: boolean;
}

export interface Row {
  cells: Cell[];
}

/** A Word document reduced to what the form needs: tables of rows of cells, and the paragraphs between. */
export interface DocModel {
  blocks: Block[];
  /** True when the reader kept run formatting (bold); false for readers that give plain text. */
  hasFormatting: boolean;
}

export type Block = { kind: "para"; para: Para } | { kind: "table"; rows: Row[] };

export type { Call, Fields, Flag, Provenance };
