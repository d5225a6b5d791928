import type { Flag } from "@intake/schema";
import type { ReportLabels } from "./labels.js";

/** `code` or `code:field` split into its parts. */
export function parseFlagKey(key: string): { code: string; field?: string } {
  const i = key.indexOf(":");
  return i < 0 ? { code: key } : { code: key.slice(0, i), field: key.slice(i + 1) };
}

/**
 * A flag in plain words: its short name, the field's form label when it is
 * about a field, and the reason or the file when the record gives one.
 */
export function flagWords(key: string, labels: ReportLabels, details: readonly Flag[] = []): string {
  const { code, field } = parseFlagKey(key);
  const d = details.find((f) => f.code === code && (f.field ?? undefined) === field);
  let s = labels.flag(code);
  if (field) s += `：${labels.field(field)}`;
  // A missing field's reason only repeats its name ("left empty"); other reasons say what is wrong.
  const reason = code === "missing-field" ? undefined : d?.detail;
  const extra = [reason, d?.file ? `附件 ${d.file}` : undefined].filter(Boolean).join("；");
  return extra ? `${s}（${extra}）` : s;
}
