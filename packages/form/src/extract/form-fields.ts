import { emptyFields } from "@intake/schema";
import type { Call, FieldKey, Fields, Partner, Provenance } from "@intake/schema";
import { parseAmountYuan } from "../normalise/amount.js";
import { splitCountries } from "../normalise/countries.js";
import { normaliseDate } from "../normalise/date.js";
import { mechanismId } from "../normalise/mechanism.js";
import { labelKey, tolerantSource, trimAll } from "../normalise/text.js";
import type { DocModel, Run } from "../types.js";
import { rowsOf, type CellRef } from "./cells.js";
import { cleanValue } from "./instructions.js";
import { labelCandidates, labelIndex, type LabelIndex } from "./labels.js";
import { flatten, tickedOptions, yesNo } from "./ticks.js";

const YES_NO_KEYS = ["basis.priorWork", "basis.hasPartners", "funding.requested"] as const;

/** A section heading of the template (一、项目申报单位基本情况): not an answer. */
function isHeading(text: string): boolean {
  const first = trimAll(text.split("\n").find((l) => trimAll(l)) ?? "");
  return /^[一二三四五六七八九十]+[、.．]\s*\S{2,14}$/.test(first) && !/[。；;，,]/.test(first);
}

function provenance(ref: CellRef): Provenance {
  return ref.table < 0 ? { source: "word" } : { source: "word", table: ref.table, row: ref.row, cell: ref.cell };
}

function matchLabel(text: string, idx: LabelIndex): FieldKey | null {
  for (const c of labelCandidates(text)) {
    const k = idx.byKey.get(c);
    if (k) return k;
  }
  return null;
}

function isPartnerLabel(text: string, idx: LabelIndex): "name" | "basis" | null {
  const k = labelKey(text);
  if (idx.partnerName.test(k)) return "name";
  if (idx.partnerBasis.test(k)) return "basis";
  return null;
}

interface Found {
  text: string;
  runs: Run[];
  ref: CellRef;
}

/** Regexes of the yes/no questions, built once per call. */
function questionRes(call: Call): Map<string, RegExp[]> {
  const m = new Map<string, RegExp[]>();
  for (const k of YES_NO_KEYS) m.set(k, (call.labels[k] ?? []).map((l) => new RegExp(tolerantSource(l.replace(/[？?]$/, "")) + "[？?]?")));
  return m;
}

/** The runs from a character offset of their joined text to the end. */
function sliceRunsFrom(runs: Run[], start: number): Run[] {
  const out: Run[] = [];
  let pos = 0;
  for (const r of runs) {
    const end = pos + r.text.length;
    if (end > start) out.push({ text: r.text.slice(Math.max(0, start - pos)), bold: r.bold });
    pos = end;
  }
  return out;
}

/** Runs sliced to [start, end) of their joined text. */
function sliceRuns(runs: Run[], start: number, end: number): { text: string; bold: boolean[] } {
  const f = flatten(runs);
  return { text: f.text.slice(start, end), bold: f.bold.slice(start, end) };
}

/**
 * Reads the form's fields from the document: each label's value is the cell
 * beside it (or the text after "label：" in the same cell, or the row under a
 * heading that stands alone); boxes are read from the cell that lists them.
 */
export function extractFields(doc: DocModel, call: Call): { fields: Fields; sources: Record<string, Provenance>; empty: Record<string, Provenance[]> } {
  const idx = labelIndex(call);
  const rows = rowsOf(doc);
  const found = new Map<FieldKey, Found>();
  const consumed = new Set<CellRef>();
  const partners: (Partner & { ref: CellRef })[] = [];
  // Every answer cell beside a partner label: where an empty partner list was read.
  const partnerCells: CellRef[] = [];
  const questions = questionRes(call);
  const answers = new Map<string, { value: boolean | null; ref: CellRef }>();
  const asks = (text: string) => [...questions.values()].flat().some((re) => re.test(text));

  // The first label with an answer wins; a label left empty yields to a later one that has it.
  const put = (key: FieldKey, f: Found) => {
    const had = found.get(key);
    if (!had || cleanValue(had.text, call) === null) found.set(key, f);
  };

  rows.forEach((row, ri) => {
    row.forEach((cell, ci) => {
      // Yes/no questions can sit anywhere, with other text in the same cell.
      for (const [key, res] of questions) {
        if (answers.has(key)) continue;
        for (const re of res) {
          const m = re.exec(cell.text);
          if (!m) continue;
          const start = m.index + m[0].length;
          let end = cell.text.indexOf("\n", start);
          if (end < 0) end = cell.text.length;
          let seg = sliceRuns(cell.runs, start, end);
          let ref = cell;
          if (!/[是否]/.test(seg.text)) {
            // The boxes may sit on the next line, or in the next cell of the row.
            const nextEnd = cell.text.indexOf("\n", end + 1);
            const below = end < cell.text.length ? sliceRuns(cell.runs, end + 1, nextEnd < 0 ? cell.text.length : nextEnd) : null;
            const next = row[ci + 1];
            if (below && /[是否]/.test(below.text) && !/请在下方/.test(below.text)) seg = below;
            else if (next && /[是否]/.test(next.text)) {
              seg = sliceRuns(next.runs, 0, next.text.indexOf("\n") < 0 ? next.text.length : next.text.indexOf("\n"));
              ref = next;
            }
          }
          answers.set(key, { value: yesNo(seg.text, doc.hasFormatting ? seg.bold : null), ref });
          break;
        }
      }
      if (consumed.has(cell)) return;
      const partner = isPartnerLabel(cell.text, idx);
      // A yes/no question is never a partner's name: the section's label (合作组织情况) read short stands beside it.
      if (partner && !(row[ci + 1] && asks(row[ci + 1]!.text))) {
        const next = row[ci + 1];
        const value = next ? cleanValue(next.text, call) : null;
        if (next) {
          consumed.add(next);
          partnerCells.push(next);
        }
        const last = partners[partners.length - 1];
        if (partner === "name" || !last || last.basis !== null) partners.push({ name: partner === "name" ? value : null, basis: partner === "basis" ? value : null, ref: next ?? cell });
        else last.basis = value;
        return;
      }
      const key = matchLabel(cell.text, idx);
      if (key) {
        const next = row[ci + 1];
        if (next && !matchLabel(next.text, idx) && !isPartnerLabel(next.text, idx)) {
          consumed.add(next);
          put(key, { text: next.text, runs: next.runs, ref: next });
        } else if (!next && row.length === 1) {
          // A heading alone in its row: the answer is the free text under it,
          // past any instruction-only rows.
          let taken: CellRef | undefined;
          for (let j = ri + 1; j < Math.min(rows.length, ri + 4); j++) {
            // Usually a row of its own; in a Word 97 text a cell opening with an empty
            // paragraph looks like a row end, and then the answer opens the next row.
            const under = rows[j]![0];
            if (!under || consumed.has(under) || isHeading(under.text) || isPartnerLabel(under.text, idx)) break;
            if (questions.get("funding.requested")?.some((re) => re.test(under.text))) break;
            // Another label (or this one again) answers for itself when its turn comes.
            if (matchLabel(under.text, idx)) break;
            consumed.add(under);
            if (cleanValue(under.text, call) !== null) {
              taken = under;
              break;
            }
          }
          put(key, taken ? { text: taken.text, runs: taken.runs, ref: taken } : { text: "", runs: [], ref: cell });
        } else put(key, { text: "", runs: [], ref: cell });
        return;
      }
      // The label on a cell's first line, the answer on the lines below.
      const nl = cell.text.indexOf("\n");
      if (nl > 0) {
        const k = idx.byKey.get(labelKey(cell.text.slice(0, nl)));
        const rest = cell.text.slice(nl + 1);
        if (k && cleanValue(rest, call) !== null) {
          put(k, { text: rest, runs: sliceRunsFrom(cell.runs, nl + 1), ref: cell });
          return;
        }
      }
      // "label：value" in one cell or paragraph.
      const t = trimAll(cell.text);
      const m = idx.inCell.exec(t);
      if (m) {
        const n = m.slice(1).findIndex((g) => g !== undefined);
        const k = idx.ordered[n]?.key;
        if (k) put(k, { text: t.slice(m[0].length), runs: [{ text: t.slice(m[0].length), bold: false }], ref: cell });
      }
    });
  });

  const fields = emptyFields();
  const sources: Record<string, Provenance> = {};
  // Labels found whose answer holds nothing but the template's text: where the empty answers are.
  const empty: Record<string, Provenance[]> = {};
  const questionLine = (line: string) => [...questions.values()].flat().some((re) => re.test(line));
  const text = (key: FieldKey, drop?: (l: string) => boolean): string | null => {
    const f = found.get(key);
    if (!f) return null;
    const v = cleanValue(f.text, call, drop);
    if (v !== null) sources[key] = provenance(f.ref);
    else empty[key] = [provenance(f.ref)];
    return v;
  };

  for (const key of Object.keys(fields) as FieldKey[]) {
    if (key.endsWith("Yuan") || key === "project.types" || key === "basis.partners" || key === "project.countries") continue;
    if ((YES_NO_KEYS as readonly string[]).includes(key)) continue;
    (fields as Record<string, unknown>)[key] = text(key, questionLine);
  }

  const date = fields["cover.filledDate"];
  if (date) fields["cover.filledDate"] = normaliseDate(date) ?? date;

  const mech = fields["project.mechanism"];
  if (mech) fields["project.mechanism"] = mechanismId(mech, call) ?? mech;

  const countries = text("project.countries");
  if (countries) {
    const list = splitCountries(countries, call);
    fields["project.countries"] = list.length ? list : null;
  }

  for (const [amount, yuan] of [
    ["funding.selfFunded", "funding.selfFundedYuan"],
    ["funding.requestedAmount", "funding.requestedAmountYuan"],
  ] as const) {
    const v = fields[amount];
    if (v) fields[yuan] = parseAmountYuan(v);
  }

  const typesCell = found.get("project.types" as FieldKey) ?? findTypesCell(rows, call);
  if (typesCell) {
    const f = flatten(typesCell.runs);
    const options = call.projectTypes.map((t) => ({ value: t.id, labels: [t.label, ...t.aliases] }));
    const ticked = tickedOptions(f.text, doc.hasFormatting ? f.bold : null, options);
    if (ticked.length) {
      fields["project.types"] = ticked;
      sources["project.types"] = provenance(typesCell.ref);
    }
    const other = call.projectTypes.find((t) => t.id === "other");
    if (other && !fields["project.typeOther"]) {
      const m = new RegExp(`(?:${[other.label, ...other.aliases].map(tolerantSource).join("|")})[\\s:：_＿]*([^\\n]*)`).exec(f.text);
      const v = m?.[1] ? cleanValue(m[1].replace(/[_＿]+/g, " "), call) : null;
      if (v) {
        fields["project.typeOther"] = v;
        sources["project.typeOther"] = provenance(typesCell.ref);
      }
    }
  }

  for (const key of YES_NO_KEYS) {
    const a = answers.get(key);
    if (!a) continue;
    fields[key] = a.value;
    if (a.value !== null) sources[key] = provenance(a.ref);
  }

  const kept = partners.filter((p) => p.name !== null || p.basis !== null);
  if (kept.length) {
    fields["basis.partners"] = kept.map(({ name, basis }) => ({ name, basis }));
    sources["basis.partners"] = provenance(kept[0]!.ref);
  } else if (partnerCells.length) empty["basis.partners"] = partnerCells.map(provenance);
  return { fields, sources, empty };
}

/** Without a 项目类型 label, the cell that lists most of the type options. */
function findTypesCell(rows: CellRef[][], call: Call): Found | undefined {
  let best: Found | undefined;
  let bestCount = 2;
  for (const row of rows)
    for (const cell of row) {
      const n = call.projectTypes.filter((t) => new RegExp(tolerantSource(t.label)).test(cell.text)).length;
      if (n > bestCount) {
        bestCount = n;
        best = { text: cell.text, runs: cell.runs, ref: cell };
      }
    }
  return best;
}
