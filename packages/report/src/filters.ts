import { COMPLETENESS, type Completeness } from "./completeness.js";
import { localDate } from "./dates.js";
import type { ReviewStateName } from "./labels.js";
import type { SubmissionRow } from "./rows.js";

export const REVIEW_STATE_NAMES: readonly ReviewStateName[] = ["pending", "checked", "needs-documents", "rejected"];

/** What a reviewer narrows the table to; every part optional. */
export interface RowFilter {
  /** A review state; `pending` is the review queue. */
  state?: ReviewStateName;
  mechanism?: string;
  /** A flag code; `none` for rows without flags. */
  flag?: string;
  /** Substring of the applicant unit. */
  unit?: string;
  completeness?: Completeness;
  /** Arrival dates, `YYYY-MM-DD`, inclusive, in the call's time zone. */
  from?: string;
  to?: string;
  /** Free text: every field, file names, flags, sender, subject, 受理编号 and Message-ID. */
  q?: string;
  /** Only the newest version of each project. */
  latestOnly?: boolean;
}

export type GroupBy = "none" | "mechanism" | "flag" | "unit" | "completeness" | "date";
export const GROUP_BYS: readonly GroupBy[] = ["none", "mechanism", "flag", "unit", "completeness", "date"];

export type SortKey = "priority" | "received" | "reference" | "mechanism" | "unit" | "project" | "completeness" | "state" | "flags";
export const SORT_KEYS: readonly SortKey[] = ["priority", "received", "reference", "mechanism", "unit", "project", "completeness", "state", "flags"];

const fold = (s: string) => s.normalize("NFKC").toLowerCase();
// Built once per row: the haystack of 5 000 rows is rebuilt only when the rows are.
const haystacks = new WeakMap<SubmissionRow, string>();

function haystack(r: SubmissionRow): string {
  let h = haystacks.get(r);
  if (h === undefined) {
    const rec = r.record;
    h = fold(
      [
        ...Object.values(r.fields).map((v) => (v === null ? "" : typeof v === "string" ? v : JSON.stringify(v))),
        r.word ?? "",
        ...r.scan,
        ...r.flags,
        rec.from ?? "",
        rec.subject ?? "",
        rec.messageId ?? "",
        rec.messageKey,
        r.reference,
      ].join("\n"),
    );
    haystacks.set(r, h);
  }
  return h;
}

/** The search text as typed: a Message-ID may come with or without its angle brackets. */
function needle(q: string): string {
  return fold(q.trim().replace(/^<(.+)>$/, "$1"));
}

export function filterRows(rows: readonly SubmissionRow[], f: RowFilter, timeZone: string): SubmissionRow[] {
  const q = f.q?.trim() ? needle(f.q) : undefined;
  const unit = f.unit?.trim() ? fold(f.unit.trim()) : undefined;
  return rows.filter((r) => {
    if (f.state && r.reviewed.state.state !== f.state) return false;
    if (f.mechanism && (r.mechanism ?? "") !== (f.mechanism === "none" ? "" : f.mechanism)) return false;
    if (f.flag && (f.flag === "none" ? r.flagCodes.length > 0 : !r.flagCodes.includes(f.flag))) return false;
    if (unit && !fold(r.unit ?? "").includes(unit)) return false;
    if (f.completeness && r.completeness !== f.completeness) return false;
    if (f.from || f.to) {
      const day = localDate(r.receivedAt, timeZone);
      if (f.from && (!day || day < f.from)) return false;
      if (f.to && (!day || day > f.to)) return false;
    }
    if (f.latestOnly && !r.latest) return false;
    if (q && !haystack(r).includes(q)) return false;
    return true;
  });
}

/** Review order: undecided judgments first, then what is flagged, then the rest; each by arrival. */
export function priorityOf(r: SubmissionRow): number {
  if (r.review.needed) return 0;
  if (r.completeness !== "complete") return 1;
  return r.flagCodes.length ? 2 : 3;
}

const STATE_RANK: Record<ReviewStateName, number> = { pending: 0, "needs-documents": 1, checked: 2, rejected: 3 };

function compareBy(key: SortKey): (a: SubmissionRow, b: SubmissionRow) => number {
  const text = (f: (r: SubmissionRow) => string) => (a: SubmissionRow, b: SubmissionRow) => f(a).localeCompare(f(b), "zh-Hans-CN");
  switch (key) {
    case "priority":
      return (a, b) => priorityOf(a) - priorityOf(b);
    case "reference":
      return text((r) => r.reference);
    case "mechanism":
      return text((r) => r.mechanism ?? "");
    case "unit":
      return text((r) => r.unit ?? "");
    case "project":
      return text((r) => r.project ?? "");
    case "completeness":
      return (a, b) => COMPLETENESS.indexOf(b.completeness) - COMPLETENESS.indexOf(a.completeness);
    case "state":
      return (a, b) => STATE_RANK[a.reviewed.state.state] - STATE_RANK[b.reviewed.state.state];
    case "flags":
      return (a, b) => b.flags.length - a.flags.length;
    default:
      return () => 0;
  }
}

/** Sorted by a column, ties by arrival then position: a stable order for pagination. */
export function sortRows(rows: readonly SubmissionRow[], key: SortKey, dir: "asc" | "desc" = "asc"): SubmissionRow[] {
  const by = compareBy(key);
  const arrival = (a: SubmissionRow, b: SubmissionRow) => (a.receivedAt ?? "").localeCompare(b.receivedAt ?? "") || a.id.localeCompare(b.id);
  const sign = dir === "desc" ? -1 : 1;
  return [...rows].sort((a, b) => sign * (by(a, b) || arrival(a, b)));
}

export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
  total: number;
  perPage: number;
}

export function paginate<T>(rows: readonly T[], page: number, perPage: number): Page<T> {
  const pages = Math.max(1, Math.ceil(rows.length / perPage));
  const p = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  return { items: rows.slice((p - 1) * perPage, p * perPage), page: p, pages, total: rows.length, perPage };
}

/** Group names of a row under a grouping (a row with several flags is in several groups). */
export function groupKeys(r: SubmissionRow, by: GroupBy, timeZone: string): string[] {
  switch (by) {
    case "mechanism": return [r.mechanism ?? ""];
    case "flag": return r.flagCodes.length ? r.flagCodes : [""];
    case "unit": return [r.unit ?? ""];
    case "completeness": return [r.completeness];
    case "date": return [localDate(r.receivedAt, timeZone)];
    default: return ["*"];
  }
}

export function groupRows(rows: readonly SubmissionRow[], by: GroupBy, timeZone: string): Map<string, SubmissionRow[]> {
  const groups = new Map<string, SubmissionRow[]>();
  for (const r of rows) for (const k of groupKeys(r, by, timeZone)) {
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

export interface RowCounts {
  total: number;
  byCompleteness: Map<Completeness, number>;
  byState: Map<ReviewStateName, number>;
  byMechanism: Map<string, number>;
  byFlag: Map<string, number>;
  /** Projects counted once, by their newest version. */
  projects: number;
}

/** Counts for the cards: over the rows given (the filtered ones, so the cards follow the filter). */
export function countRows(rows: readonly SubmissionRow[]): RowCounts {
  const inc = <K>(m: Map<K, number>, k: K) => m.set(k, (m.get(k) ?? 0) + 1);
  const c: RowCounts = { total: rows.length, byCompleteness: new Map(), byState: new Map(), byMechanism: new Map(), byFlag: new Map(), projects: 0 };
  for (const r of rows) {
    inc(c.byCompleteness, r.completeness);
    inc(c.byState, r.reviewed.state.state);
    inc(c.byMechanism, r.mechanism ?? "");
    for (const code of r.flagCodes) inc(c.byFlag, code);
    if (r.latest) c.projects++;
  }
  return c;
}
