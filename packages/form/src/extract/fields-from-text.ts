import type { Call, Fields, Provenance } from "@intake/schema";
import { tolerantSource, trimAll } from "../normalise/text.js";
import type { Cell, DocModel, Row } from "../types.js";
import { extractFields } from "./form-fields.js";
import { labelIndex } from "./labels.js";
import { BOX_GLYPHS } from "./ticks.js";

const CJK = "[\\u3400-\\u9fff\\uff08\\uff09\\uff1a\\u3001\\uff0c\\uff1b\\u3002\\u2014\\u25a1\\u2611]";

function cellOf(text: string): Cell {
  return { paras: [{ runs: [{ text, bold: false }] }], span: 1, mergedUp: false };
}

/** OCR spacing undone: no spaces between Chinese characters, 口 read for □ turned back before an option. */
function tidyLine(line: string, optionStarts: RegExp): string {
  let s = line.replace(new RegExp(`(?<=${CJK})[ \\t\\u3000]+(?=${CJK})`, "g"), "");
  s = s.replace(optionStarts, "□");
  return trimAll(s);
}

function isHeadingLine(s: string): boolean {
  return /^[一二三四五六七八九十]+[、.．]\S{2,14}$/.test(s);
}

/**
 * Fields from the plain OCR text of a scanned form: each line is split at the
 * labels it holds into label and value cells, and lines without a label
 * continue the value above, then the Word form's rules apply. Best effort.
 */
export function fieldsFromText(text: string, call: Call): { fields: Fields; sources: Record<string, Provenance> } {
  const idx = labelIndex(call);
  const starts = [...call.projectTypes.map((t) => t.label.slice(0, 2)), "是", "否"].map((s) => tolerantSource(s));
  const optionStarts = new RegExp(`[口${BOX_GLYPHS}](?=\\s*(?:${starts.join("|")}))`, "g");
  const labels = [...idx.ordered.map((o) => o.label), ...(call.labels["basis.partners"] ?? [])].sort((a, b) => b.length - a.length);
  const labelRe = new RegExp(`(?:${labels.map(tolerantSource).join("|")})(?:\\s*\\d+)?[:：]?`, "g");

  const rows: Row[] = [];
  let open: Cell | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = tidyLine(raw, optionStarts);
    if (!line) continue;
    labelRe.lastIndex = 0;
    const hits = [...line.matchAll(labelRe)];
    if (isHeadingLine(line)) {
      rows.push({ cells: [cellOf(line)] });
      open = null;
      continue;
    }
    if (hits[0]?.index === 0) {
      const cells: Cell[] = [];
      hits.forEach((h, i) => {
        const end = hits[i + 1]?.index ?? line.length;
        cells.push(cellOf(h[0].replace(/[:：]$/, "")));
        const value = trimAll(line.slice(h.index! + h[0].length, end));
        cells.push(cellOf(value));
      });
      rows.push({ cells });
      open = cells[cells.length - 1]!;
      continue;
    }
    if (open) {
      open.paras.push({ runs: [{ text: line, bold: false }] });
    } else {
      open = cellOf(line);
      rows.push({ cells: [open] });
    }
  }
  const doc: DocModel = { blocks: [{ kind: "table", rows }], hasFormatting: false };
  const { fields, sources } = extractFields(doc, call);
  const scanSources: Record<string, Provenance> = {};
  for (const k of Object.keys(sources)) scanSources[k] = { source: "scan" };
  return { fields, sources: scanSources };
}
