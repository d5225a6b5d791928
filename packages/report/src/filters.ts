import { localDate } from "./dates.js";
import type { SubmissionRow } from "./rows.js";

/** What a reviewer narrows the table to; every part optional. */
export interface RowFilter {
  mechanism?: string;
  /** A flag code; `none` for rows without flags. */
  flag?: string;
  /** Substring of the applicant unit. */
  unit?: string;
  complete?: "yes" | "no";
  /** Arrival dates, `YYYY-MM-DD`, inclusive, in the call's time zone. */
  from?: string;
  to?: string;
  /** Free text searched in every field, file names and flags. */
  q?: string;
  /** Only the newest version of each project. */
  latestOnly?: boolean;
}

export type GroupBy = "none" | "mechanism" | "flag" | "unit" | "complete" | "date";
export const GROUP_BYS: readonly GroupBy[] = ["none", "mechanism", "flag", "unit", "complete", "date"];

const fold = (s: string) => s.normalize("NFKC").toLowerCase();

function haystack(r: SubmissionRow): string {
  return fold([...Object.values(r.fields).map((v) => (v === null ? "" : JSON.stringify(v))), r.word ?? "", ...r.scan, ...r.flags, r.record.from ?? "", r.record.subject ?? ""].join("\n"));
}

export function filterRows(rows: readonly SubmissionRow[], f: RowFilter, timeZone: string): SubmissionRow[] {
  const q = f.q?.trim() ? fold(f.q.trim()) : undefined;
  const unit = f.unit?.trim() ? fold(f.unit.trim()) : undefined;
  return rows.filter((r) => {
    if (f.mechanism && (r.mechanism ?? "") !== (f.mechanism === "none" ? "" : f.mechanism)) return false;
    if (f.flag && (f.flag === "none" ? r.flagCodes.length > 0 : !r.flagCodes.includes(f.flag))) return false;
    if (unit && !fold(r.unit ?? "").includes(unit)) return false;
    if (f.complete && r.complete !== (f.complete === "yes")) return false;
    const day = localDate(r.receivedAt, timeZone);
    if (f.from && (!day || day < f.from)) return false;
    if (f.to && (!day || day > f.to)) return false;
    if (f.latestOnly && !r.latest) return false;
    if (q && !haystack(r).includes(q)) return false;
    return true;
  });
}

/** Group names of a row under a grouping (a row with several flags is in several groups). */
export function groupKeys(r: SubmissionRow, by: GroupBy, timeZone: string): string[] {
  switch (by) {
    case "mechanism": return [r.mechanism ?? ""];
    case "flag": return r.flagCodes.length ? r.flagCodes : [""];
    case "unit": return [r.unit ?? ""];
    case "complete": return [r.complete ? "yes" : "no"];
    case "date": return [localDate(r.receivedAt, timeZone)];
    default: return ["*"];
  }
}

export function groupRows(rows: readonly SubmissionRow[], by: GroupBy, timeZone: string): Map<string, SubmissionRow[]> {
  const groups = new Map<string, SubmissionRow[]>();
  for (const r of rows) for (const k of groupKeys(r, by, timeZone)) groups.set(k, [...(groups.get(k) ?? []), r]);
  return groups;
}

/** Counts for the top of the page: submissions per mechanism and per flag code. */
export function countRows(rows: readonly SubmissionRow[]): { total: number; complete: number; byMechanism: Map<string, number>; byFlag: Map<string, number> } {
  const byMechanism = new Map<string, number>();
  const byFlag = new Map<string, number>();
  for (const r of rows) {
    byMechanism.set(r.mechanism ?? "", (byMechanism.get(r.mechanism ?? "") ?? 0) + 1);
    for (const c of r.flagCodes) byFlag.set(c, (byFlag.get(c) ?? 0) + 1);
  }
  return { total: rows.length, complete: rows.filter((r) => r.complete).length, byMechanism, byFlag };
}
