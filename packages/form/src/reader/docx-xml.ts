import { IntakeError, isIntakeError } from "@intake/schema";
import { SaxesParser } from "saxes";
import type { Block, Cell, DocModel, Para, Row } from "../types.js";

const TICKED = "☑";
const UNTICKED = "□";

/** Symbol-font characters Word inserts for boxes and ticks (Insert > Symbol), by font family. */
const SYMBOLS: Record<string, Record<number, string>> = {
  wingdings: { 0xfe: TICKED, 0xfd: "☒", 0xfc: "✓", 0xfb: "✗", 0x6f: UNTICKED, 0xa8: UNTICKED, 0x78: "☒", 0x71: UNTICKED },
  "wingdings 2": { 0x52: TICKED, 0x54: "☒", 0x53: "☒", 0xa3: UNTICKED, 0x2a: UNTICKED, 0x50: "✓", 0x4f: "✗" },
};

function localName(name: string): string {
  const i = name.indexOf(":");
  return i < 0 ? name : name.slice(i + 1);
}

function isOn(val: string | undefined): boolean {
  return val === undefined || !["0", "false", "off", "none"].includes(val.toLowerCase());
}

interface TableCtx {
  rows: Row[];
  row: Row | null;
  cell: Cell | null;
}

interface SdtCtx {
  checkbox: boolean;
  checked: boolean;
  inContent: boolean;
  emitted: boolean;
}

/**
 * Turns word/document.xml into the document model. Any DOCTYPE is refused:
 * a Word document never needs one, and entities are how XXE and billion-laughs
 * attacks work, so nothing is ever declared or expanded.
 */
export function parseDocumentXml(xml: Buffer): DocModel {
  if (xml.includes("<!DOCTYPE") || xml.includes("<!ENTITY") || xml.includes("<\0!\0D\0O\0C\0T\0Y\0P\0E")) {
    throw new IntakeError("ATTACHMENT_SUSPICIOUS", "document.xml declares a DOCTYPE or entities", { reason: "xml-entities" });
  }
  const text = xml[0] === 0xff && xml[1] === 0xfe ? xml.subarray(2).toString("utf16le") : xml.toString("utf8");

  const blocks: Block[] = [];
  const tables: TableCtx[] = [];
  const sdts: SdtCtx[] = [];
  const stack: string[] = [];
  let para: Para | null = null;
  let runBold = false;
  let inRun = false;
  let inText = false;
  let skipDepth = 0; // inside mc:Fallback or w:del: text already present elsewhere or deleted
  let ffCheckbox: { checked: boolean | null; def: boolean } | null = null;

  const emit = (s: string) => {
    if (!para || skipDepth > 0) return;
    const sdt = sdts.find((x) => x.checkbox && x.inContent);
    if (sdt) {
      // The box's glyph comes from the control's state, not from its displayed character.
      if (!sdt.emitted) {
        sdt.emitted = true;
        para.runs.push({ text: sdt.checked ? TICKED : UNTICKED, bold: false });
      }
      return;
    }
    const last = para.runs[para.runs.length - 1];
    if (last && last.bold === runBold) last.text += s;
    else para.runs.push({ text: s, bold: runBold });
  };

  const parser = new SaxesParser({ xmlns: false, position: false });
  parser.on("doctype", () => {
    throw new IntakeError("ATTACHMENT_SUSPICIOUS", "document.xml declares a DOCTYPE", { reason: "xml-entities" });
  });
  parser.on("opentag", (tag) => {
    const name = localName(tag.name);
    const attr = (k: string): string | undefined => {
      for (const [key, v] of Object.entries(tag.attributes)) if (localName(key) === k) return v as string;
      return undefined;
    };
    const parent = stack[stack.length - 1];
    stack.push(name);
    if (skipDepth > 0) {
      if (!tag.isSelfClosing) skipDepth++;
      return;
    }
    switch (name) {
      case "Fallback":
      case "del":
      case "instrText":
        if (!tag.isSelfClosing) skipDepth = 1;
        break;
      case "tbl":
        tables.push({ rows: [], row: null, cell: null });
        break;
      case "tr": {
        const t = tables[tables.length - 1];
        if (t) {
          t.row = { cells: [] };
          t.rows.push(t.row);
        }
        break;
      }
      case "tc": {
        const t = tables[tables.length - 1];
        if (t?.row) {
          t.cell = { paras: [], span: 1, mergedUp: false };
          t.row.cells.push(t.cell);
        }
        break;
      }
      case "gridSpan": {
        const c = tables[tables.length - 1]?.cell;
        const n = Number(attr("val"));
        if (c && Number.isInteger(n) && n > 0 && n < 64) c.span = n;
        break;
      }
      case "vMerge": {
        const c = tables[tables.length - 1]?.cell;
        if (c && parent === "tcPr") c.mergedUp = attr("val") !== "restart";
        break;
      }
      case "p":
        para = { runs: [] };
        break;
      case "r":
        inRun = true;
        runBold = false;
        break;
      case "b":
        if (inRun && parent === "rPr") runBold = isOn(attr("val"));
        break;
      case "t":
        inText = true;
        break;
      case "tab":
        if (inRun) emit("\t");
        break;
      case "br":
      case "cr":
        if (inRun) emit("\n");
        break;
      case "sym": {
        const font = (attr("font") ?? "").toLowerCase();
        const code = parseInt(attr("char") ?? "", 16) & 0xff;
        const glyph = SYMBOLS[font]?.[code];
        if (glyph) emit(glyph);
        break;
      }
      case "sdt":
        sdts.push({ checkbox: false, checked: false, inContent: false, emitted: false });
        break;
      case "checkbox": {
        const s = sdts[sdts.length - 1];
        if (s) s.checkbox = true;
        break;
      }
      case "checked": {
        const s = sdts[sdts.length - 1];
        if (s && parent === "checkbox") s.checked = isOn(attr("val"));
        break;
      }
      case "sdtContent": {
        const s = sdts[sdts.length - 1];
        if (s) s.inContent = true;
        break;
      }
      case "checkBox":
        if (parent === "ffData") ffCheckbox = { checked: null, def: false };
        break;
      case "default":
        if (ffCheckbox && parent === "checkBox") ffCheckbox.def = isOn(attr("val"));
        break;
    }
    if (name === "checked" && ffCheckbox && parent === "checkBox") ffCheckbox.checked = isOn(attr("val"));
  });
  parser.on("text", (s) => {
    if (inText) emit(s);
  });
  parser.on("closetag", (tag) => {
    const name = localName(tag.name);
    stack.pop();
    if (skipDepth > 0) {
      skipDepth--;
      return;
    }
    switch (name) {
      case "t":
        inText = false;
        break;
      case "r":
        inRun = false;
        runBold = false;
        break;
      case "ffData":
        if (ffCheckbox) {
          emit((ffCheckbox.checked ?? ffCheckbox.def) ? TICKED : UNTICKED);
          ffCheckbox = null;
        }
        break;
      case "sdt":
        sdts.pop();
        break;
      case "p": {
        if (!para) break;
        const t = tables[tables.length - 1];
        if (t?.cell) t.cell.paras.push(para);
        else if (!t) blocks.push({ kind: "para", para });
        para = null;
        break;
      }
      case "tc": {
        const t = tables[tables.length - 1];
        if (t) t.cell = null;
        break;
      }
      case "tr": {
        const t = tables[tables.length - 1];
        if (t) t.row = null;
        break;
      }
      case "tbl": {
        const t = tables.pop();
        if (!t) break;
        const outer = tables[tables.length - 1];
        if (outer?.cell) {
          // A table inside a cell: its rows become lines of the outer cell.
          for (const r of t.rows) {
            const runs = r.cells.flatMap((c, i) => [
              ...(i > 0 ? [{ text: "\t", bold: false }] : []),
              ...c.paras.flatMap((p, j) => [...(j > 0 ? [{ text: "\n", bold: false }] : []), ...p.runs]),
            ]);
            outer.cell.paras.push({ runs });
          }
        } else if (!outer) blocks.push({ kind: "table", rows: t.rows });
        break;
      }
    }
  });
  try {
    parser.write(text).close();
  } catch (e) {
    if (isIntakeError(e)) throw e;
    throw new IntakeError("ATTACHMENT_UNREADABLE", "document.xml is not well-formed XML", { cause: e, reason: "damaged" });
  }
  return { blocks, hasFormatting: true };
}
