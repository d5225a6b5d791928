import { REVIEWER_ONLY_REASONS, type Decisions, type Fields, type Flag } from "@intake/schema";
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

const ATTACHMENT_CODES: ReadonlySet<string> = new Set(["unreadable-attachment", "suspicious-attachment"]);

/**
 * One attachment flag in words, by its reason code: a file that was read
 * anyway (a .docx named .doc, active content) is named for what it is, never
 * as refused; one that was not read says why. Active content lists what the
 * file holds.
 */
export function attachmentFlagWords(f: Flag, labels: ReportLabels): string {
  const file = f.file ? `附件 ${f.file}` : "";
  if (!f.reason) return file ? `${labels.flag(f.code)}（${file}）` : labels.flag(f.code);
  const what = labels.attachmentReason(f.reason);
  // The pipeline writes the receipt's words first, then what it found in its own Chinese, naming
  // the technical part in brackets ("…：嵌入文件包（OLE Package）").
  const listed = f.reason === "active-content" ? f.detail?.split("：").slice(1).join("：") : undefined;
  const found = listed && /[\u4e00-\u9fff]/.test(listed) ? listed : undefined;
  const tail = [file, found].filter(Boolean).join("；");
  const name = REVIEWER_ONLY_REASONS.has(f.reason) ? what : `${labels.flag(f.code)}：${what}`;
  return tail ? `${name}（${tail}）` : name;
}

/**
 * A flag in plain words: its short name, the field's form label when it is
 * about a field, and the reason when the submission gives one. An
 * attachment flag is worded by its reason code (see attachmentFlagWords).
 */
export function flagWords(key: string, labels: ReportLabels, ctx: FlagContext = {}): string {
  const { code, field } = parseFlagKey(key);
  const d = ATTACHMENT_CODES.has(code) ? ctx.details?.find((f) => f.code === code) : undefined;
  if (d) return attachmentFlagWords(d, labels);
  let s = labels.flag(code);
  if (field) s += `：${labels.field(field)}`;
  const reason = flagReason(key, labels, ctx);
  return reason ? `${s}（${reason}）` : s;
}

/**
 * Every flag of a submission in words, one line per flagged attachment (two
 * files refused for different reasons are two lines under one code).
 */
export function flagList(keys: readonly string[], labels: ReportLabels, ctx: FlagContext = {}): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const { code } = parseFlagKey(key);
    const files = ATTACHMENT_CODES.has(code) ? (ctx.details ?? []).filter((f) => f.code === code) : [];
    if (files.length) for (const f of files) out.push(attachmentFlagWords(f, labels));
    else out.push(flagWords(key, labels, ctx));
  }
  return [...new Set(out)];
}
