import { COMPLETENESS, GROUP_BYS, REVIEW_STATE_NAMES, SORT_KEYS, type Completeness, type GroupBy, type ReviewStateName, type RowFilter, type SortKey } from "@intake/report";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const KNOWN = ["state", "q", "mechanism", "flag", "unit", "completeness", "from", "to", "group", "latest", "sort", "dir", "page", "opage"];

function str(q: Record<string, unknown>, k: string, max = 200): string | undefined {
  const v = q[k];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === "string" && s.trim() !== "" ? s.trim().slice(0, max) : undefined;
}

export interface ListQuery {
  filter: RowFilter;
  groupBy: GroupBy;
  sort: { key: SortKey; dir: "asc" | "desc" };
  page: number;
  /** The query as given, known keys only, for links that change one part. */
  raw: Record<string, string>;
}

/**
 * The list's filter, sort and page from a query string; anything malformed is
 * ignored, not an error. With no state given the list opens on the review
 * queue (待核对), undecided and flagged submissions first.
 */
export function parseListQuery(q: Record<string, unknown>): ListQuery {
  const completeness = str(q, "completeness");
  const from = str(q, "from");
  const to = str(q, "to");
  const group = str(q, "group");
  const stateText = str(q, "state") ?? "pending";
  const state = REVIEW_STATE_NAMES.includes(stateText as ReviewStateName) ? (stateText as ReviewStateName) : undefined;
  const sortText = str(q, "sort");
  const key = SORT_KEYS.includes(sortText as SortKey) ? (sortText as SortKey) : state === "pending" ? "priority" : "received";
  const raw: Record<string, string> = {};
  for (const k of KNOWN) {
    const v = str(q, k);
    if (v !== undefined) raw[k] = v;
  }
  return {
    filter: {
      state,
      mechanism: str(q, "mechanism", 64),
      flag: str(q, "flag", 64),
      unit: str(q, "unit"),
      completeness: COMPLETENESS.includes(completeness as Completeness) ? (completeness as Completeness) : undefined,
      from: from && DATE.test(from) ? from : undefined,
      to: to && DATE.test(to) ? to : undefined,
      q: str(q, "q"),
      latestOnly: str(q, "latest") === "1",
    },
    groupBy: GROUP_BYS.includes(group as GroupBy) ? (group as GroupBy) : "none",
    sort: { key, dir: str(q, "dir") === "desc" ? "desc" : "asc" },
    page: Math.max(1, Number(str(q, "page") ?? 1) || 1),
    raw,
  };
}
