import type { Call, FieldKey, Fields, Provenance } from "@intake/schema";
import { labelKey, tolerantSource, trimAll } from "../normalise/text.js";
import type { Cell, DocModel, Row } from "../types.js";
import { extractFields } from "./form-fields.js";
import { cleanValue } from "./instructions.js";
import { labelIndex } from "./labels.js";
import { ocrBoxes } from "./ocr-boxes.js";
import { BOX_GLYPHS, tickedOptions } from "./ticks.js";
import { mechanismId } from "../normalise/mechanism.js";

const CJK = "[\\u3400-\\u9fff\\uff08\\uff09\\uff1a\\u3001\\uff0c\\uff1b\\u3002\\u2014\\u25a1\\u2611]";
/** Answers that run over several lines; any other answer ends with its line. */
const MULTILINE = new Set<string>(["plan", "basis.priorWorkDetails", "basis.other", "project.types", "project.countries", "partner", "free"]);

function cellOf(text: string): Cell {
  return { paras: [{ runs: [{ text, bold: false }] }], span: 1, mergedUp: false };
}

/** OCR spacing undone: no spaces between Chinese characters, 口 read for □ turned back before an option. */
function tidyLine(raw: string, optionStarts: RegExp): string {
  // Table rules read as | are cell gaps; angle brackets and parentheses are the form's （）.
  const line = raw
    .replace(/[|｜]/g, "   ")
    .replace(/[“”"]/g, "  ")
    .replace(/[〈《]+\s*/g, "（")
    .replace(/\s*[〉》]+/g, "）")
    .replace(/\(\s*/g, "（")
    .replace(/\s*\)/g, "）");
  // One space between characters is OCR's; a wider gap separates cells.
  let s = line.replace(new RegExp(`(?<=${CJK})[ \\u3000](?=${CJK})`, "g"), "");
  // Half-width punctuation beside Chinese text is the form's full-width one; 一 between a date and a number is a dash.
  s = s
    .replace(new RegExp(`\\s*;\\s*`, "g"), "；")
    .replace(new RegExp(`(?<=${CJK})\\s*,\\s*|\\s*,\\s*(?=${CJK})`, "g"), "，")
    .replace(new RegExp(`(?<=${CJK}|\\d)[ ](?=[+\\d（）])|(?<=[+（）\\d])[ ](?=${CJK})`, "g"), "")
    .replace(/(?<=[年月日\d])一(?=\d)/g, "—");
  s = s.replace(optionStarts, "□");
  return trimAll(s);
}

function isHeadingLine(s: string): boolean {
  return /^[一二三四五六七八九十]+[、.．]\S{2,14}$/.test(s);
}

/**
 * A label printed over two lines of its cell (统一社会 / 信用代码 …) joined back
 * into one line; what OCR put after each half is the value, in that order.
 */
function joinSplitLabels(lines: string[], labels: string[]): string[] {
  const whole = labels.map((l) => l.replace(/\s+/g, "")).filter((l) => l.length >= 4);
  const keys = new Set(labels.map(labelKey));
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const a = lines[i]!;
    const b = lines[i + 1];
    if (b !== undefined && !keys.has(labelKey(a))) {
      let joined: string | null = null;
      for (const label of whole) {
        for (let cut = label.length - 2; cut >= 2; cut--) {
          const head = label.slice(0, cut);
          const tail = label.slice(cut);
          if (a.startsWith(head) && b.startsWith(tail) && !keys.has(labelKey(a.slice(0, head.length + 2)))) {
            joined = `${label}  ${trimAll(a.slice(head.length))}${trimAll(b.slice(tail.length))}`;
            break;
          }
        }
        if (joined) break;
      }
      if (joined) {
        out.push(joined);
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
  // OCR often loses a label's first character at the cell's edge (申报单位 → 报单位): accepted at a line's start.
  const exactKeys = new Set(labelled.map((l) => labelKey(l.label)));
  const clipped = new Map<string, { label: string; key: string }>();
  for (const l of labelled) {
    const chars = [...l.label.replace(/\s+/g, "")];
    const tail = chars.slice(1).join("");
    if (chars.length >= 3 && !exactKeys.has(labelKey(tail)) && !clipped.has(tail)) clipped.set(tail, l);
  }
  const clippedRe = new RegExp(`^(?:${[...clipped.keys()].sort((a, b) => b.length - a.length).map(tolerantSource).join("|")})[:：]?`);
  const keyOf = (s: string): string => {
    const k = labelKey(s.replace(/\d+$/, ""));
    return labelled.find((l) => labelKey(l.label) === k)?.key ?? (k.startsWith(labelKey(partnerName)) ? "partner" : "");
  };
  const boxes = ocrBoxes(call);
  const dashes = dashedNames(call);
  const snapLabels = labelSnapper([...labelled.map((l) => l.label), partnerName, partnerBasis]);
  const typeLines: string[] = [];

  const lines = joinSplitLabels(
    text
      .split(/\r?\n|\f/)
      .map((l) => dashes(tidyLine(snapLabels(l), optionStarts)))
      .filter(Boolean),
    [...labelled.map((l) => l.label), partnerName],
  ).map((l) => {
    const yn = boxes.yesNoLine(l);
    if (yn !== l) return yn;
    const t = boxes.typesLine(l);
    if (t.options > 0) typeLines.push(t.line);
    const c = clippedRe.exec(t.line);
    // Put the whole label back so the rules below see it.
    return c ? clipped.get(c[0].replace(/[:：]$/, "").replace(/\s+/g, ""))!.label + "：" + t.line.slice(c[0].length) : t.line;
  });
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
    const all = [...line.matchAll(labelRe)];
    const startsWithLabel = all[0]?.index === 0;
    const hits = all.filter((h) => {
      if (h.index === 0 || /\s/.test(line[h.index! - 1]!)) return true;
      // In a row of label/value pairs a long label may follow a value without a gap,
      // but not inside a parenthesis or at the end of a sentence.
      const before = line.slice(0, h.index);
      const after = line.slice(h.index! + h[0].length);
      return (startsWithLabel || /^\s{2,}/.test(after)) && h[0].length >= 4 && before.lastIndexOf("（") <= before.lastIndexOf("）") && !/^[。；;，,]/.test(after);
    });
    const first = hits[0];
    if (!first) {
      // A short title without punctuation is the next row's left column (合作组织情况), not more of the answer.
      const title = line.length <= 8 && !/[\p{P}\d\s]/u.test(line) && openKey !== "project.countries";
      if (open && !title) {
        const paras = (open as Cell).paras;
        const last = paras[paras.length - 1]?.runs[0];
        // OCR wraps a paragraph at the page's edge: a line not ending a sentence goes on.
        const wraps =
          last && last.text && !/[。！？!?：:）)…]$/.test(last.text) && MULTILINE.has(openKey) && openKey !== "project.countries" && cleanValue(last.text, call) !== null && cleanValue(line, call) !== null;
        if (last && wraps) last.text += line;
        else paras.push({ runs: [{ text: line, bold: false }] });
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
  fillFromShapes(fields, lines, call);
  if (typeLines.length) {
    const options = call.projectTypes.map((t) => ({ value: t.id, labels: [t.label, ...t.aliases] }));
    const ticked = tickedOptions(typeLines.join("\n"), null, options);
    if (ticked.length) {
      fields["project.types"] = ticked;
      sources["project.types"] = { source: "scan" };
    }
  }
  const scanSources: Record<string, Provenance> = {};
  for (const k of Object.keys(sources)) scanSources[k as FieldKey] = { source: "scan" };
  return { fields, sources: scanSources };
}

/**
 * In a row read cell by cell ("label | value | label | value"), a label
 * cell OCR got one character wrong (联系大 for 联系人) is put right when
 * exactly one label of three characters or more is that close.
 */
function labelSnapper(labels: string[]): (line: string) => string {
  const known = [...new Set(labels.map((l) => l.replace(/\s+/g, "")))].filter((l) => [...l].length >= 3);
  const set = new Set(known);
  const oneOff = (a: string[], b: string[]) => a.length === b.length && a.filter((c, i) => c !== b[i]).length === 1;
  return (line) => {
    const cells = line.split(" | ");
    if (cells.length < 2) return line;
    return cells
      .map((c, i) => {
        const t = c.replace(/\s+/g, "");
        if (i % 2 === 1 || set.has(t)) return c;
        const near = known.filter((l) => oneOff([...l], [...t]));
        return near.length === 1 ? near[0]! : c;
      })
      .join(" | ");
  };
}

/**
 * The call's names written with a dash (中国—东盟, 澜沧江—湄公河): OCR reads
 * the dash as 一 or -, and the name is put back as the call writes it.
 */
function dashedNames(call: Call): (line: string) => string {
  const names = [...new Set(call.mechanisms.flatMap((m) => [m.name, ...m.aliases]).filter((n) => n.includes("—")))].sort((a, b) => b.length - a.length);
  if (!names.length) return (l) => l;
  const re = new RegExp(names.map((n) => n.split("—").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[一\\-－—]")).join("|"), "g");
  const canonical = new Map(names.map((n) => [n.replace(/—/g, ""), n]));
  return (line) => line.replace(re, (m) => canonical.get(m.replace(/[一\-－—]/g, "")) ?? m);
}

/**
 * Values OCR left without a readable label, found by their shape: the cover's
 * mobile, telephone and e-mail (before the first section heading), and the
 * mechanism written before 合作国别 on its line.
 */
function fillFromShapes(fields: Fields, lines: string[], call: Call): void {
  // Codes, numbers and addresses are ASCII: Chinese characters beside them are OCR noise from the next cell.
  for (const k of ["unit.creditCode", "unit.postalCode", "cover.mobile", "cover.phone", "unit.phone", "cover.email", "unit.email"] as const) {
    const v = fields[k];
    if (v === null) continue;
    let t = v.normalize("NFKC");
    // OCR puts spaces inside an address (gj hz@…): none belongs there.
    if (k.endsWith("email")) t = t.replace(/(?<=[A-Za-z0-9@#._%+-])\s+(?=[A-Za-z0-9@#._%+-])/g, "");
    const tokens = t.match(/[A-Za-z0-9@#._%+\-()]{3,}/g) ?? [];
    fields[k] = tokens.sort((a, b) => b.length - a.length)[0] ?? null;
  }
  // OCR cannot tell x from X, o from O, s from S at this size; mail addresses ignore case anyway.
  for (const k of ["cover.email", "unit.email"] as const) fields[k] = fields[k]?.toLowerCase() ?? null;
  const end = lines.findIndex((l) => /^[一二三四五六七八九十]+[、.．]/.test(l));
  const cover = (end < 0 ? lines : lines.slice(0, end)).join("\n");
  if (!fields["cover.mobile"]) fields["cover.mobile"] = /(?<!\d)1[3-9]\d{9}(?!\d)/.exec(cover)?.[0] ?? null;
  if (!fields["cover.phone"]) fields["cover.phone"] = /(?<![\d-])0\d{2,3}-\d{7,8}(?!\d)/.exec(cover)?.[0] ?? null;
  if (!fields["cover.email"]) fields["cover.email"] = /[A-Za-z0-9._%+-]+[@#＠][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/.exec(cover)?.[0] ?? null;
  if (!fields["project.mechanism"]) {
    const countries = call.labels["project.countries"]?.[0] ?? "合作国别";
    for (const l of lines) {
      const i = l.indexOf(countries);
      if (i <= 0) continue;
      const id = mechanismId(l.slice(0, i).replace(/[\d\s:：]/g, ""), call);
      if (id) fields["project.mechanism"] = id;
      break;
    }
  }
}
