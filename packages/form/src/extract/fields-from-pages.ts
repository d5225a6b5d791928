import type { Call, FieldKey, Fields, PageBox, Provenance, ScanPage, Threshold } from "@intake/schema";
import { mechanismId } from "../normalise/mechanism.js";
import { labelKey, trimAll } from "../normalise/text.js";
import type { Cell, DocModel, Row } from "../types.js";
import { extractFields } from "./form-fields.js";
import { labelIndex } from "./labels.js";
import { ocrBoxes } from "./ocr-boxes.js";
import { BOX_GLYPHS } from "./ticks.js";
import { tolerantSource } from "../normalise/text.js";

/** A numbered section heading (一、项目申报单位基本情况). */
const SECTION = /^[一二三四五六七八九十]+[、.．]/;
const CJK = "[\\u3400-\\u9fff\\uff08\\uff09\\uff1a\\u3001\\uff0c\\uff1b\\u3002\\u2014\\u25a1\\u2611\\u25a0]";

/** Where a cell of the document built from the pages came from. */
interface Origin {
  page: number;
  box: PageBox;
  confidence: number;
  /** The region's pixels hold writing (for a label or a line: always). */
  inked: boolean;
}

/**
 * The form's fields from a scanned copy's pages: every table row, fill-in
 * blank and line of the page model becomes a row of the same document model
 * the Word form is read into (a blank as label and answer), OCR's usual
 * slips are put right cell by cell, and the Word form's rules read it. Each
 * field keeps where on which page it was read and how surely, and an
 * outcome: found (read), not-found (its answer region was read and is
 * empty) or undecided.
 */
export function fieldsFromPages(pages: ScanPage[], call: Call, threshold?: Threshold): { fields: Fields; sources: Record<string, Provenance> } {
  const tidy = cellTidier(call);
  const rows: Row[] = [];
  const origins: Origin[][] = [];
  const add = (cells: { text: string; o: Origin }[]) => {
    rows.push({ cells: cells.map((c) => cellOf(c.text)) });
    origins.push(cells.map((c) => c.o));
  };
  // The cover comes before the first numbered section; a label misread there is the cover's.
  let onCover = true;
  for (const p of pages) {
    let firstRow = true;
    for (const it of p.items) {
      const opening = it.kind === "row" ? it.cells[0]?.text : it.kind === "line" ? it.text : it.label?.text;
      if (opening && SECTION.test(opening.trim())) onCover = false;
      // A cell broken by the page's end goes on in the next page's first row, its other cells left empty.
      if (it.kind === "row" && firstRow && rows.length && continues(it.cells.map((c) => c.text), rows[rows.length - 1]!)) {
        const prev = rows[rows.length - 1]!.cells;
        const paras = prev[prev.length - 1]!.paras;
        const last = paras[paras.length - 1]!.runs[0]!;
        const more = tidy(it.cells[it.cells.length - 1]!.text, false, onCover).split("\n");
        if (/[。！？!?：:]$/.test(last.text)) paras.push(...more.map((t) => ({ runs: [{ text: t, bold: false }] })));
        else {
          last.text += more[0];
          paras.push(...more.slice(1).map((t) => ({ runs: [{ text: t, bold: false }] })));
        }
        firstRow = false;
        continue;
      }
      if (it.kind === "row") firstRow = false;
      if (it.kind === "row") add(it.cells.map((c, i) => ({ text: tidy(c.text, i % 2 === 0, onCover), o: { page: p.page, box: c.box, confidence: c.confidence, inked: c.inked } })));
      else if (it.kind === "blank") {
        const answer = { text: tidy(it.answer.text, false, onCover), o: { page: p.page, box: it.answer.box, confidence: it.answer.confidence, inked: it.answer.inked } };
        add(it.label ? [{ text: tidy(it.label.text, true, onCover), o: { page: p.page, box: it.label.box, confidence: it.label.confidence, inked: true } }, answer] : [answer]);
      } else add([{ text: tidy(it.text, false, onCover), o: { page: p.page, box: it.box, confidence: it.confidence, inked: true } }]);
    }
  }
  // One table: every cell keeps a position, so each field can be traced to its region.
  const doc: DocModel = { blocks: [{ kind: "table", rows }], hasFormatting: false };
  const { fields, sources, empty } = extractFields(doc, call);
  const flat = rows.map((r) => r.cells.map((c) => c.paras.map((p) => p.runs.map((x) => x.text).join("")).join("\n")).join("  "));
  fillFromShapes(fields, flat, call);

  const notFound = threshold?.notFound ?? 0.8;
  const out: Record<string, Provenance> = {};
  const at = (p: Provenance | undefined): Origin | undefined => (p?.row !== undefined && p.cell !== undefined ? origins[p.row]?.[p.cell] : undefined);
  for (const [k, p] of Object.entries(sources)) {
    const o = at(p);
    out[k] = o ? { source: "scan", page: o.page, box: o.box, confidence: o.confidence, outcome: "found" } : { source: "scan", outcome: "undecided" };
  }
  for (const [k, ps] of Object.entries(empty)) {
    if (out[k] || fields[k as FieldKey] !== null) continue;
    const os = ps.map(at);
    const o = os[0];
    if (!o) continue;
    // Empty for sure: every answer region was read clearly, as blank paper or as the template's own text.
    const confidence = Math.min(...os.map((x) => x?.confidence ?? 0));
    out[k] = { source: "scan", page: o.page, box: o.box, confidence, outcome: confidence >= notFound ? "not-found" : "undecided" };
  }
  // Values found by their shape alone (no label read beside them) are real readings, but nothing says where.
  for (const k of Object.keys(fields) as FieldKey[]) if (fields[k] !== null && !out[k]) out[k] = { source: "scan", outcome: "found", confidence: 0.5 };
  return { fields, sources: out };
}

/** A row whose only text is in its last cell, under a row whose last cell holds an answer. */
function continues(texts: string[], prev: Row): boolean {
  const last = prev.cells[prev.cells.length - 1]?.paras.map((p) => p.runs.map((r) => r.text).join("")).join("");
  return texts.length >= 2 && prev.cells.length >= 2 && !!last && texts.slice(0, -1).every((t) => !t.trim()) && !!texts[texts.length - 1]!.trim();
}

function cellOf(text: string): Cell {
  return { paras: text.split("\n").map((t) => ({ runs: [{ text: t, bold: false }] })), span: 1, mergedUp: false };
}

/**
 * One cell's OCR text made to read like the Word form's: no spaces inside
 * Chinese text, the form's full-width punctuation, a label read one
 * character wrong put right (where a label stands: a row's first, third…
 * cell), the call's dashed names restored, the glyph before each option
 * read as an empty or a ticked box.
 */
function cellTidier(call: Call): (text: string, labelPlace: boolean, onCover: boolean) => string {
  const idx = labelIndex(call);
  const [partnerName = "合作组织", partnerBasis = "合作基础"] = call.labels["basis.partners"] ?? [];
  const labels = [...idx.ordered.map((o) => ({ label: o.label, key: o.key as string })), { label: partnerName, key: "basis.partners" }, { label: partnerBasis, key: "basis.partners" }];
  const snap = labelSnapper(labels.map((l) => ({ ...l, label: l.label.replace(/\s+/g, "") })));
  const dashes = dashedNames(call);
  const boxes = ocrBoxes(call);
  const starts = [...call.projectTypes.map((t) => t.label.slice(0, 2)), "是", "否"].map((s) => tolerantSource(s));
  const optionStarts = new RegExp(`[口${BOX_GLYPHS}](?=\\s*(?:${starts.join("|")}))`, "g");
  return (text, labelPlace, onCover) =>
    text
      .split("\n")
      .map((raw) => {
        let l = dashes(tidyLine(labelPlace ? snap(raw, onCover) : raw));
        l = l.replace(optionStarts, "□");
        const yn = boxes.yesNoLine(l);
        return yn !== l ? yn : boxes.typesLine(l).line;
      })
      .join("\n");
}

function tidyLine(raw: string): string {
  let s = raw
    .replace(/[〈《]+\s*/g, "（")
    .replace(/\s*[〉》]+/g, "）")
    .replace(/\(\s*/g, "（")
    .replace(/\s*\)/g, "）");
  s = s.replace(new RegExp(`(?<=${CJK})[ \\u3000](?=${CJK})`, "g"), "");
  // Half-width punctuation beside Chinese text is the form's full-width one; 一 between a date and a number is a dash.
  s = s
    .replace(/\s*;\s*/g, "；")
    .replace(new RegExp(`(?<=${CJK})\\s*,\\s*|\\s*,\\s*(?=${CJK})`, "g"), "，")
    .replace(new RegExp(`(?<=${CJK})\\s*:\\s*`, "g"), "：")
    .replace(/(?<=[年月日\d])[一－](?=\d)/g, "—");
  return trimAll(s);
}

/**
 * A cell that is one known label but for one character (联系大 for 联系人,
 * 填报5时间 for 填报时间) is put right, when exactly one label of three
 * characters or more is that close; when two are (电子箱 for 电子邮箱 of the
 * cover and 电子信箱 of the unit), the one of the part of the form it is in.
 */
function labelSnapper(labels: { label: string; key: string }[]): (cell: string, onCover: boolean) => string {
  const known = labels.filter((l) => [...l.label].length >= 3);
  const set = new Set(known.map((l) => labelKey(l.label)));
  return (cell, onCover) => {
    const t = cell.replace(/\s+/g, "").replace(/[:：]$/, "");
    if (set.has(labelKey(t)) || cell.includes("\n") || [...t].length > 12) return cell;
    const near = [...new Map(known.filter((l) => oneEdit([...l.label], [...t])).map((l) => [l.label, l])).values()];
    const here = near.length > 1 ? near.filter((l) => l.key.startsWith("cover.") === onCover) : near;
    return here.length === 1 ? here[0]!.label : cell;
  };
}

/** Whether two strings differ by exactly one substitution, insertion or deletion. */
function oneEdit(a: string[], b: string[]): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] !== b[j] && ++edits > 1) return false;
    // On a mismatch the longer string skips its character (an insertion), or both do (a substitution).
    const skipBoth = a[i] === b[j] || a.length === b.length;
    if (skipBoth || a.length > b.length) i++;
    if (skipBoth || b.length > a.length) j++;
  }
  edits += a.length - i + (b.length - j);
  return edits === 1;
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
 * Codes, numbers and addresses are ASCII: characters around them are OCR
 * noise from the rule or the next cell. Values OCR left without a readable
 * label are found by their shape: the cover's mobile, telephone and e-mail
 * (before the first section heading), and the mechanism written before
 * 合作国别 on its row.
 */
function fillFromShapes(fields: Fields, lines: string[], call: Call): void {
  for (const k of ["unit.creditCode", "unit.postalCode", "cover.mobile", "cover.phone", "unit.phone", "cover.email", "unit.email"] as const) {
    const v = fields[k];
    if (v === null) continue;
    let t = v.normalize("NFKC");
    if (k.endsWith("email")) t = t.replace(/(?<=[A-Za-z0-9@#._%+-])\s+(?=[A-Za-z0-9@#._%+-])/g, "");
    const tokens = t.match(/[A-Za-z0-9@#._%+\-()]{3,}/g) ?? [];
    fields[k] = tokens.sort((a, b) => b.length - a.length)[0] ?? null;
  }
  for (const k of ["cover.email", "unit.email"] as const) fields[k] = fields[k]?.toLowerCase() ?? null;
  const end = lines.findIndex((l) => /^[一二三四五六七八九十]+[、.．]/.test(l));
  const cover = (end < 0 ? lines : lines.slice(0, end)).join("\n");
  if (!fields["cover.mobile"]) fields["cover.mobile"] = /(?<!\d)1[3-9]\d{9}(?!\d)/.exec(cover)?.[0] ?? null;
  if (!fields["cover.phone"]) fields["cover.phone"] = /(?<![\d-])0\d{2,3}-\d{7,8}(?!\d)/.exec(cover)?.[0] ?? null;
  if (!fields["cover.email"]) fields["cover.email"] = /[A-Za-z0-9._%+-]+[@＠][A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/.exec(cover)?.[0]?.toLowerCase() ?? null;
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
