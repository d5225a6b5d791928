import type { Call, FieldKey, Fields, Provenance } from "@intake/schema";
import { labelKey, tolerantSource, trimAll } from "../normalise/text.js";
import type { Cell, DocModel, Row } from "../types.js";
import { extractFields } from "./form-fields.js";
import { cleanValue } from "./instructions.js";
import { labelIndex } from "./labels.js";
import { BOX_GLYPHS } from "./ticks.js";

const CJK = "[\\u3400-\\u9fff\\uff08\\uff09\\uff1a\\u3001\\uff0c\\uff1b\\u3002\\u2014\\u25a1\\u2611]";
/** Answers that run over several lines; any other answer ends with its line. */
const MULTILINE = new Set<string>(["plan", "basis.priorWorkDetails", "basis.other", "project.types", "project.countries", "partner", "free"]);

function cellOf(text: string): Cell {
  return { paras: [{ runs: [{ text, bold: false }] }], span: 1, mergedUp: false };
}

/** OCR spacing undone: no spaces between Chinese characters, 口 read for □ turned back before an option. */
function tidyLine(line: string, optionStarts: RegExp): string {
  // One space between characters is OCR's; a wider gap separates cells.
  let s = line.replace(new RegExp(`(?<=${CJK})[ \\u3000](?=${CJK})`, "g"), "");
  s = s.replace(optionStarts, "□");
  return trimAll(s);
}

function isHeadingLine(s: string): boolean {
  return /^[一二三四五六七八九十]+[、.．]\S{2,14}$/.test(s);
}

/** A label printed over two lines of its cell (统一社会 / 信用代码 …) joined back into one line. */
function joinSplitLabels(lines: string[], labels: string[]): string[] {
  const keys = labels.map(labelKey);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const a = lines[i]!;
    const b = lines[i + 1];
    const ak = labelKey(a);
    if (b !== undefined && ak.length >= 2 && !keys.includes(ak)) {
      const bk = labelKey(b);
      if (keys.some((k) => k.length > ak.length && k.startsWith(ak) && bk.startsWith(k.slice(ak.length)))) {
        out.push(a + b);
        i++;
        continue;
      }
    }
    out.push(a);
  }
  return out;
}

/**
 * Fields from the plain OCR text of a scanned form: each line is split at the
 * labels it holds into label and value cells, lines without a label continue
 * a multi-line answer above, then the Word form's rules apply. Best effort.
 */
export function fieldsFromText(text: string, call: Call): { fields: Fields; sources: Record<string, Provenance> } {
  const idx = labelIndex(call);
  const starts = [...call.projectTypes.map((t) => t.label.slice(0, 2)), "是", "否"].map((s) => tolerantSource(s));
  const optionStarts = new RegExp(`[口${BOX_GLYPHS}](?=\\s*(?:${starts.join("|")}))`, "g");
  const [partnerName = "合作组织", partnerBasis = "合作基础"] = call.labels["basis.partners"] ?? [];
  const labelled = [...idx.ordered.map((o) => ({ label: o.label, key: o.key as string })), { label: partnerBasis, key: "partner" }];
  labelled.sort((a, b) => b.label.length - a.label.length);
  const alternatives = [`${tolerantSource(partnerName)}\\s*\\d+`, ...labelled.map((l) => tolerantSource(l.label))];
  const labelRe = new RegExp(`(?:${alternatives.join("|")})[:：]?`, "g");
  const keyOf = (s: string): string => {
    const k = labelKey(s.replace(/\d+$/, ""));
    return labelled.find((l) => labelKey(l.label) === k)?.key ?? (k.startsWith(labelKey(partnerName)) ? "partner" : "");
  };

  const lines = joinSplitLabels(
    text
      .split(/\r?\n/)
      .map((l) => tidyLine(l, optionStarts))
      .filter(Boolean),
    [...labelled.map((l) => l.label), partnerName],
  );
  const rows: Row[] = [];
  let open: Cell | null = null;
  let openKey = "";
  const startRow = (line: string) => {
    open = cellOf(line);
    rows.push({ cells: [open] });
  };
  for (const line of lines) {
    if (isHeadingLine(line)) {
      rows.push({ cells: [cellOf(line)] });
      open = null;
      openKey = "";
      continue;
    }
    // A label starts a cell at the start of a line or after a gap, never inside a word or parenthesis.
    const hits = [...line.matchAll(labelRe)].filter((h) => h.index === 0 || /\s/.test(line[h.index! - 1]!));
    const first = hits[0];
    if (!first) {
      // A short title without punctuation is the next row's left column (合作组织情况), not more of the answer.
      const title = line.length <= 8 && !/[\p{P}\d\s]/u.test(line) && openKey !== "project.countries";
      if (open && !title) {
        (open as Cell).paras.push({ runs: [{ text: line, bold: false }] });
        // A one-line answer printed under its instruction ends with that line.
        if (!MULTILINE.has(openKey)) open = null;
      } else {
        startRow(line);
        openKey = "free";
      }
      continue;
    }
    if (first.index! > 0) {
      const before = trimAll(line.slice(0, first.index));
      if (open) (open as Cell).paras.push({ runs: [{ text: before, bold: false }] });
    }
    const cells: Cell[] = [];
    let lastKey = "";
    hits.forEach((h, i) => {
      const end = hits[i + 1]?.index ?? line.length;
      const label = h[0].replace(/[:：]$/, "");
      cells.push(cellOf(label));
      cells.push(cellOf(trimAll(line.slice(h.index! + h[0].length, end))));
      lastKey = keyOf(label);
    });
    rows.push({ cells });
    const lastValue = cells[cells.length - 1]!;
    const answered = cleanValue(lastValue.paras.map((p) => p.runs.map((r) => r.text).join("")).join("\n"), call) !== null;
    open = MULTILINE.has(lastKey) || !answered ? lastValue : null;
    openKey = lastKey;
  }
  const doc: DocModel = { blocks: [{ kind: "table", rows }], hasFormatting: false };
  const { fields, sources } = extractFields(doc, call);
  const scanSources: Record<string, Provenance> = {};
  for (const k of Object.keys(sources)) scanSources[k as FieldKey] = { source: "scan" };
  return { fields, sources: scanSources };
}
