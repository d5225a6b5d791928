import { cropPath, messageRef, submissionFile, type ReportLinks, type SubmissionRow } from "@intake/report";

/** The web view's URLs: row ids only, never archive paths or names. `query` is the list's current query. */
export function webLinks(rows: readonly SubmissionRow[], query: Record<string, string> = {}): ReportLinks {
  const firstOf = new Map<string, string>();
  for (const r of rows) if (!firstOf.has(r.messageKey)) firstOf.set(r.messageKey, r.id);
  return {
    submission: (r) => `/s/${r.id}`,
    file: (r, kind, i = 0) => (submissionFile(r, kind, i) ? (kind === "scan" ? `/s/${r.id}/scan/${i}` : `/s/${r.id}/${kind}`) : undefined),
    crop: (r, kind) => (cropPath(r, kind) ? `/s/${r.id}/crop/${kind}` : undefined),
    page: (r, n) => `/s/${r.id}/page/${n}`,
    receiptEml: (key, n) => (firstOf.has(key) ? `/s/${firstOf.get(key)}/receipt/${n}` : undefined),
    messageEml: (key) => `/m/${messageRef(key)}/eml`,
    message: (key) => `/m/${messageRef(key)}`,
    listWith: (changes) => {
      const p = new URLSearchParams(query);
      for (const [k, v] of Object.entries(changes)) {
        if (v === undefined || v === "") p.delete(k);
        else p.set(k, v);
      }
      const s = p.toString();
      return s ? `/?${s}` : "/";
    },
  };
}
