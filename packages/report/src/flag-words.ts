import type { Decisions, Fields, Flag } from "@intake/schema";
import { localDateTime } from "./dates.js";
import type { ReportLabels } from "./labels.js";

/** `code` or `code:field` split into its parts. */
export function parseFlagKey(key: string): { code: string; field?: string } {
  const i = key.indexOf(":");
  return i < 0 ? { code: key } : { code: key.slice(0, i), field: key.slice(i + 1) };
}

/** What a flag's reason is drawn from: the submission it is on. */
export interface FlagContext {
  details?: readonly Flag[];
  fields?: Fields;
  decisions?: Decisions;
  receivedAt?: string | null;
}

// A checker's own detail is shown only when it is already in Chinese: library
// wording ("no 6-digit postcode") belongs in the logs, not in front of reviewers.
const CHINESE_ONLY = (s: string | undefined) => (s && /[\u4e00-\u9fff]/.test(s) && !/[A-Za-z]{3,}/.test(s) ? s : undefined);

/** Why the flag was raised, in the call's Chinese, from the submission's own data; undefined when the name says it all. */
export function flagReason(key: string, labels: ReportLabels, ctx: FlagContext = {}): string | undefined {
  const { code, field } = parseFlagKey(key);
  const d = ctx.details?.find((f) => f.code === code && (f.field ?? undefined) === field);
  switch (code) {
    case "missing-field":
    case "missing-word-file":
    case "missing-scan":
    case "missing-signature":
    case "missing-seal":
    case "resubmission":
      return undefined;
    case "invalid-field":
      return (field && labels.fieldHint(field)) || CHINESE_ONLY(d?.detail);
    case "country-outside-mechanism": {
      const mech = ctx.fields?.["project.mechanism"];
      const region = labels.mechanismCountries(mech);
      const outside = (ctx.fields?.["project.countries"] ?? []).filter((c) => !region.includes(c));
      return outside.length ? `${outside.join("、")}不属于${labels.mechanism(mech)}机制的国别` : CHINESE_ONLY(d?.detail);
    }
    case "late-submission": {
      const at = localDateTime(ctx.receivedAt, labels.timezone);
      return at ? `收到于${at}，截止时间${localDateTime(labels.deadline, labels.timezone)}（${labels.timeZoneName}）` : undefined;
    }
    case "scan-mismatch": {
      const ev = ctx.decisions?.scanMatch?.evidence;
      return ev?.expected || ev?.actual ? `Word版为“${ev.expected ?? ""}”，扫描件上为“${ev.actual ?? ""}”` : CHINESE_ONLY(d?.detail);
    }
    case "unreadable-attachment":
    case "suspicious-attachment":
      return d?.file ? `附件 ${d.file}` : undefined;
    default:
      return CHINESE_ONLY(d?.detail);
  }
}

/**
 * A flag in plain words: its short name, the field's form label when it is
 * about a field, and the reason when the submission gives one.
 */
export function flagWords(key: string, labels: ReportLabels, ctx: FlagContext = {}): string {
  const { code, field } = parseFlagKey(key);
  let s = labels.flag(code);
  if (field) s += `：${labels.field(field)}`;
  const reason = flagReason(key, labels, ctx);
  return reason ? `${s}（${reason}）` : s;
}
