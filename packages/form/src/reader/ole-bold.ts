import { createRequire } from "node:module";

/** Private-use characters marking where bold text starts and ends in the extracted body. */
export const BOLD_ON = "\uE000";
export const BOLD_OFF = "\uE001";

interface Piece {
  startCp: number;
  startFilePos: number;
  bpc: number;
  length: number;
  text: string;
}

interface OleDocument {
  _body: string;
  getBody(options?: { filterUnicode?: boolean }): string;
}

interface OleExtractorBase {
  _pieces: Piece[];
  _boundaries: { ccpText: number };
  writeCharacterProperties(buffer: Buffer, table: Buffer): void;
  buildDocument(): OleDocument;
  extract(reader: unknown): Promise<OleDocument>;
}

type OleExtractorClass = new () => OleExtractorBase;

/** sprmCFBold: operand 1 is bold, 0x81 the opposite of the style (bold on a plain style). */
const SPRM_CF_BOLD = 0x0835;

/** Walks a grpprl and returns the sprmCFBold operand, or null when the run does not set it. */
function boldOperand(grpprl: Buffer): number | null {
  let off = 0;
  let result: number | null = null;
  while (off + 2 <= grpprl.length) {
    const sprm = grpprl.readUInt16LE(off);
    off += 2;
    const spra = (sprm >> 13) & 7;
    if (sprm === SPRM_CF_BOLD && off < grpprl.length) result = grpprl[off]!;
    const size = spra === 0 || spra === 1 ? 1 : spra === 2 || spra === 4 || spra === 5 ? 2 : spra === 3 ? 4 : spra === 7 ? 3 : off < grpprl.length ? grpprl[off]! + 1 : 1;
    off += size;
  }
  return result;
}

/**
 * word-extractor's Word 97 reader, extended to keep which characters are bold
 * (a chosen option is sometimes only set in bold). It reads the same CHPX
 * runs the library reads for deletions and marks bold runs in the body with
 * BOLD_ON / BOLD_OFF; the library has no public hook for formatting.
 */
export async function extractOleWithBold(content: Buffer): Promise<string> {
  const require = createRequire(import.meta.url);
  const Base = require("word-extractor/lib/word-ole-extractor") as OleExtractorClass;
  const BufferReader = require("word-extractor/lib/buffer-reader") as new (b: Buffer) => unknown;
  const { clean } = require("word-extractor/lib/filters") as { clean: (s: string) => string };

  class BoldExtractor extends Base {
    bold: [number, number][] = [];

    override writeCharacterProperties(buffer: Buffer, table: Buffer): void {
      super.writeCharacterProperties(buffer, table);
      try {
        this.collectBold(buffer, table);
      } catch {
        // Formatting is a bonus: a run table we cannot follow leaves the text without bold.
        this.bold = [];
      }
    }

    collectBold(buffer: Buffer, table: Buffer): void {
      const fc = buffer.readUInt32LE(0x00fa);
      const lcb = buffer.readUInt32LE(0x00fe);
      const count = Math.floor((lcb - 4) / 8);
      if (count <= 0 || fc + lcb > table.length) return;
      const plc = table.subarray(fc, fc + lcb);
      const data = (count + 1) * 4;
      for (let i = 0; i < count; i++) {
        const pn = plc.readUInt32LE(data + i * 4);
        const page = buffer.subarray(pn * 512, (pn + 1) * 512);
        if (page.length < 512) continue;
        const crun = page[511]!;
        for (let j = 0; j < crun; j++) {
          const start = page.readUInt32LE(j * 4);
          const end = page.readUInt32LE((j + 1) * 4);
          const rgb = page[(crun + 1) * 4 + j]!;
          if (rgb === 0) continue;
          const cb = page[rgb * 2]!;
          const op = boldOperand(page.subarray(rgb * 2 + 1, rgb * 2 + 1 + cb));
          if (op === 1 || op === 0x81) this.bold.push([start, end]);
        }
      }
      this.bold.sort((a, b) => a[0] - b[0]);
    }

    isBold(fc: number): boolean {
      let lo = 0;
      let hi = this.bold.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const [s, e] = this.bold[mid]!;
        if (fc < s) hi = mid - 1;
        else if (fc >= e) lo = mid + 1;
        else return true;
      }
      return false;
    }

    override buildDocument(): OleDocument {
      const doc = super.buildDocument();
      if (!this.bold.length) return doc;
      const end = this._boundaries.ccpText;
      const parts: string[] = [];
      let on = false;
      for (const p of this._pieces) {
        if (p.startCp >= end) break;
        const n = Math.min(p.length, end - p.startCp);
        for (let i = 0; i < n; i++) {
          const b = this.isBold(p.startFilePos + i * p.bpc);
          if (b !== on) {
            parts.push(b ? BOLD_ON : BOLD_OFF);
            on = b;
          }
          parts.push(p.text[i]!);
        }
      }
      if (on) parts.push(BOLD_OFF);
      doc._body = clean(parts.join(""));
      return doc;
    }
  }

  const doc = await new BoldExtractor().extract(new BufferReader(content));
  return doc.getBody({ filterUnicode: false });
}
