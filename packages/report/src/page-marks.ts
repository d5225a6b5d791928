import type { PageBox } from "@intake/schema";
import { FIELD_KEYS } from "@intake/schema";
import type { ReportLabels } from "./labels.js";
import type { SubmissionRow } from "./rows.js";

/** A box to draw on a page of the scanned copy. */
export interface PageMark {
  page: number;
  box: PageBox;
  /** seal / signature: what was found; searched: where nothing was found; field: a value read by OCR. */
  kind: "seal" | "signature" | "searched" | "field";
  label: string;
}

const DECISION_NAMES = { signature: "负责人签字", seal: "单位公章" } as const;

function valid(b: PageBox | undefined): b is PageBox {
  return !!b && [b.x0, b.y0, b.x1, b.y1].every((v) => Number.isFinite(v)) && b.x1 > b.x0 && b.y1 > b.y0;
}

/** Every box the record holds for the scanned copy: found marks, the regions searched, fields read by OCR. */
export function pageMarks(r: SubmissionRow, labels: ReportLabels): PageMark[] {
  const marks: PageMark[] = [];
  for (const kind of ["signature", "seal"] as const) {
    const d = r.decisions[kind];
    const ev = d?.evidence;
    if (!ev?.page) continue;
    if (d!.outcome === "found" && valid(ev.box)) marks.push({ page: ev.page, box: ev.box, kind, label: DECISION_NAMES[kind] });
    else {
      // Where nothing was found, the regions searched show what the machine looked at.
      const regions = (ev.searched ?? []).filter(valid);
      for (const box of regions.length ? regions : valid(ev.box) ? [ev.box] : []) marks.push({ page: ev.page, box, kind: "searched", label: `${DECISION_NAMES[kind]}（查找范围）` });
    }
  }
  for (const k of FIELD_KEYS) {
    const src = r.record.submissions[r.index]?.sources?.[k];
    if (src?.source === "scan" && src.page && valid(src.box)) marks.push({ page: src.page, box: src.box, kind: "field", label: labels.field(k) });
  }
  return marks;
}

/** The pages the viewer shows: every page of the copy when the count is known, else those the record points at. */
export function scanPages(r: SubmissionRow, marks: readonly PageMark[]): number[] {
  const n = r.signoff.pages ?? r.machine.signoff.pages;
  if (n && n > 0) return Array.from({ length: Math.min(n, 50) }, (_, i) => i + 1);
  const pages = new Set<number>(marks.map((m) => m.page));
  for (const d of Object.values(r.decisions)) if (d?.evidence?.page) pages.add(d.evidence.page);
  if (r.scan.length && pages.size === 0) pages.add(1);
  return [...pages].sort((a, b) => a - b);
}

/** The rotation the machine read a page at, so the picture is shown upright (the boxes are on the upright page). */
export function pageRotation(r: SubmissionRow, page: number): 0 | 90 | 180 | 270 {
  for (const d of [r.machine.decisions?.seal, r.machine.decisions?.signature]) if (d?.evidence?.page === page && d.evidence.rotation) return d.evidence.rotation;
  return 0;
}
