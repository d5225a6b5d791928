import { cropPath, messageRef, submissionFile, type ReportLinks, type SubmissionRow } from "@intake/report";

/** The web view's URLs: row ids only, never archive paths or names. */
export function webLinks(rows: readonly SubmissionRow[]): ReportLinks {
  const firstOf = new Map<string, string>();
  for (const r of rows) if (!firstOf.has(r.messageKey)) firstOf.set(r.messageKey, r.id);
  return {
    submission: (r) => `/s/${r.id}`,
    file: (r, kind, i = 0) => (submissionFile(r, kind, i) ? (kind === "scan" ? `/s/${r.id}/scan/${i}` : `/s/${r.id}/${kind}`) : undefined),
    crop: (r, kind) => (cropPath(r, kind) ? `/s/${r.id}/crop/${kind}` : undefined),
    receiptEml: (key, n) => (firstOf.has(key) ? `/s/${firstOf.get(key)}/receipt/${n}` : undefined),
    messageEml: (key) => `/m/${messageRef(key)}/eml`,
    listWith: (param, value) => `/?${new URLSearchParams({ [param]: value }).toString()}`,
  };
}
