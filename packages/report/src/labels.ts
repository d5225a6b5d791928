import type { Call } from "@intake/schema";
import { FIELD_KEYS, type FieldKey } from "@intake/schema";
import type { Completeness } from "./completeness.js";

export type ReviewStateName = "pending" | "checked" | "needs-documents" | "rejected";

/** Words for keys and codes, all taken from the call so next year's call needs no code change. */
export interface ReportLabels {
  title: string;
  timezone: string;
  /** The time zone as people name it (北京时间). */
  timeZoneName: string;
  /** The call's deadline, ISO 8601. */
  deadline: string;
  /** The form's own Chinese label of a field. */
  field(key: string): string;
  /** What a valid value of a field looks like, in the call's words (for invalid-field). */
  fieldHint(key: string): string | undefined;
  /** A flag code's short name. */
  flag(code: string): string;
  /** A mechanism id's name; unknown ids are shown as written. */
  mechanism(id: string | null | undefined): string;
  /** The countries of a mechanism's region. */
  mechanismCountries(id: string | null | undefined): readonly string[];
  /** A project type id's label. */
  projectType(id: string): string;
  completeness(c: Completeness): string;
  reviewState(s: ReviewStateName): string;
  /** Why a machine judgment came out as it did. */
  decisionReason(code: string): string;
  /** Why a person must look at a record (REVIEW_CODES), in the call's words. */
  reviewReason(code: string): string;
  /** What happened to an attachment (ATTACHMENT_REASONS), for reviewers. */
  attachmentReason(code: string): string;
  mechanismIds: string[];
}

// Amount fields in yuan have no label on the form: they are derived from the amount as written.
const DERIVED: Record<string, (l: (k: string) => string) => string> = {
  "funding.selfFundedYuan": (l) => `${l("funding.selfFunded")}（元）`,
  "funding.requestedAmountYuan": (l) => `${l("funding.requestedAmount")}（元）`,
};

export function reportLabels(call: Call): ReportLabels {
  const field = (key: string): string => {
    const own = call.labels[key]?.[0];
    if (own) return call.ack.fieldNames[key] ?? own;
    const derived = DERIVED[key];
    return derived ? derived(field) : key;
  };
  const mechs = new Map(call.mechanisms.map((m) => [m.id, m]));
  const types = new Map(call.projectTypes.map((t) => [t.id, t.label]));
  const report = call.report;
  return {
    title: call.title,
    timezone: call.timezone,
    timeZoneName: report?.timeZoneName ?? "北京时间",
    deadline: call.deadline,
    field,
    fieldHint: (key) => call.ack.fieldHints[key],
    flag: (code) => report?.flagNames[code] ?? shortAckWording(call.ack.flags[code]) ?? code,
    mechanism: (id) => (id ? (mechs.get(id)?.name ?? id) : "未识别"),
    mechanismCountries: (id) => (id ? (mechs.get(id)?.countries ?? []) : []),
    projectType: (id) => types.get(id) ?? id,
    completeness: (c) => report?.completeness[c] ?? { complete: "齐全", review: "齐全·需复核", incomplete: "不齐全", late: "逾期" }[c],
    reviewState: (s) => report?.reviewStates[s] ?? { pending: "待核对", checked: "已核对", "needs-documents": "需补件", rejected: "不予受理" }[s],
    decisionReason: (code) => report?.decisionReasons[code] ?? code,
    // Fallbacks for a call without the report's words: the receipt's wording, else a plain "look at it".
    reviewReason: (code) => report?.reviewNames[code] ?? "需人工核对",
    attachmentReason: (code) => report?.reasonNames[code] ?? call.ack.reasons[code]?.split(/[，。]/)[0] ?? "附件需人工查看",
    mechanismIds: call.mechanisms.map((m) => m.id),
  };
}

// The receipt's sentence up to its first full stop, placeholders dropped: good enough as a name.
function shortAckWording(s: string | undefined): string | undefined {
  if (!s) return undefined;
  return s.replace(/“?\{[a-z]+\}”?/g, "").split(/[，。,]/)[0] || s;
}

/** Every field key of FIELDS.md, in the form's order. */
export const REPORT_FIELD_KEYS: readonly FieldKey[] = FIELD_KEYS;
