import type { Call, FieldKey } from "@intake/schema";
import { FIELD_KEYS } from "@intake/schema";

/** Words for keys and codes, all taken from the call so next year's call needs no code change. */
export interface ReportLabels {
  title: string;
  timezone: string;
  /** The form's own Chinese label of a field. */
  field(key: string): string;
  /** A flag code's short name. */
  flag(code: string): string;
  /** A mechanism id's name; unknown ids are shown as written. */
  mechanism(id: string | null | undefined): string;
  /** A project type id's label. */
  projectType(id: string): string;
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
    if (own) return own;
    const derived = DERIVED[key];
    return derived ? derived(field) : key;
  };
  const mechs = new Map(call.mechanisms.map((m) => [m.id, m.name]));
  const types = new Map(call.projectTypes.map((t) => [t.id, t.label]));
  return {
    title: call.title,
    timezone: call.timezone,
    field,
    flag: (code) => call.report?.flagNames[code] ?? shortAckWording(call.ack.flags[code]) ?? code,
    mechanism: (id) => (id ? (mechs.get(id) ?? id) : "未识别"),
    projectType: (id) => types.get(id) ?? id,
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
