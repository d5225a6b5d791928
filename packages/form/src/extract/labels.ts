import type { Call, FieldKey } from "@intake/schema";
import { labelKey, tolerantSource } from "../normalise/text.js";

/** Fields read from ticked boxes or from rows of their own, not from a label's neighbour cell. */
export const SPECIAL_KEYS = new Set<string>([
  "basis.priorWork",
  "basis.hasPartners",
  "funding.requested",
  "basis.partners",
]);

export interface LabelIndex {
  /** labelKey(label) → field key, for fields whose value sits beside their label. */
  byKey: Map<string, FieldKey>;
  /** Labels longest first, for "label：value" in one cell. */
  ordered: { label: string; key: FieldKey }[];
  /** One regex for "label：value" at the start of a cell; group n+1 is ordered[n]. */
  inCell: RegExp;
  partnerName: RegExp;
  partnerBasis: RegExp;
}

const ORDINAL = "(?:\\d+|[一二三四五六七八九十]+|\\(\\d+\\))?";

const cache = new WeakMap<Call, LabelIndex>();

/** The call's labels prepared for matching cells (built once per call). */
export function labelIndex(call: Call): LabelIndex {
  let idx = cache.get(call);
  if (!idx) {
    idx = buildIndex(call);
    cache.set(call, idx);
  }
  return idx;
}

function buildIndex(call: Call): LabelIndex {
  const byKey = new Map<string, FieldKey>();
  const ordered: { label: string; key: FieldKey }[] = [];
  for (const [key, labels] of Object.entries(call.labels)) {
    if (SPECIAL_KEYS.has(key)) continue;
    for (const l of labels) {
      const k = labelKey(l);
      if (!byKey.has(k)) byKey.set(k, key as FieldKey);
      ordered.push({ label: l, key: key as FieldKey });
    }
  }
  ordered.sort((a, b) => b.label.length - a.label.length);
  const [nameLabel = "合作组织", basisLabel = "合作基础"] = call.labels["basis.partners"] ?? [];
  const re = (l: string) => new RegExp(`^${labelKey(l).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${ORDINAL}$`);
  const inCell = new RegExp(`^(?:${ordered.map((o) => `(${tolerantSource(o.label)})`).join("|")})[\\s\\u3000]*[:：]`);
  return { byKey, ordered, inCell, partnerName: re(nameLabel), partnerBasis: re(basisLabel) };
}

/** The candidate label texts of a cell: all of it, and the part after its last blank line (text run in from before a table). */
export function labelCandidates(text: string): string[] {
  const out = [labelKey(text)];
  const i = text.lastIndexOf("\n\n");
  if (i >= 0) out.push(labelKey(text.slice(i + 2)));
  return out.filter((s) => s.length > 0 && s.length <= 40);
}
