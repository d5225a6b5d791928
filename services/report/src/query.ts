import { GROUP_BYS, type GroupBy, type RowFilter } from "@intake/report";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function str(q: Record<string, unknown>, k: string, max = 200): string | undefined {
  const v = q[k];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === "string" && s.trim() !== "" ? s.trim().slice(0, max) : undefined;
}

/** The list's filter and grouping from a query string; anything malformed is ignored, not an error. */
export function parseListQuery(q: Record<string, unknown>): { filter: RowFilter; groupBy: GroupBy } {
  const complete = str(q, "complete");
  const from = str(q, "from");
  const to = str(q, "to");
  const group = str(q, "group");
  return {
    filter: {
      mechanism: str(q, "mechanism", 64),
      flag: str(q, "flag", 64),
      unit: str(q, "unit"),
      complete: complete === "yes" || complete === "no" ? complete : undefined,
      from: from && DATE.test(from) ? from : undefined,
      to: to && DATE.test(to) ? to : undefined,
      q: str(q, "q"),
      latestOnly: str(q, "latest") === "1",
    },
    groupBy: GROUP_BYS.includes(group as GroupBy) ? (group as GroupBy) : "none",
  };
}
