import { z } from "zod";
import { Outcome, PageBox } from "./decision.js";

/** Where a value was found in the Word form (or on which scanned page). */
export const Provenance = z.object({
  source: z.enum(["word", "scan"]),
  table: z.number().int().optional(),
  row: z.number().int().optional(),
  cell: z.number().int().optional(),
  page: z.number().int().optional(),
  /** For a value read from a scan: where on the upright page, and how sure the reading is. */
  box: PageBox.optional(),
  confidence: z.number().min(0).max(1).optional(),
  /** For a value read from a scan: found (read), not-found (confidently empty) or undecided (unsure: no demand). */
  outcome: Outcome.optional(),
});
export type Provenance = z.infer<typeof Provenance>;

export const Partner = z.object({ name: z.string().nullable(), basis: z.string().nullable() });
export type Partner = z.infer<typeof Partner>;

const text = z.string().nullable();
const bool = z.boolean().nullable();
const yuan = z.number().nullable();

/**
 * The parsed form, flat and dotted as in FIELDS.md: every key always present,
 * `null` when the form leaves it empty (or holds only instruction text).
 */
export const Fields = z.object({
  "cover.applicantUnit": text,
  "cover.projectName": text,
  "cover.contactName": text,
  "cover.mobile": text,
  "cover.phone": text,
  "cover.email": text,
  "cover.address": text,
  "cover.filledDate": text,
  "unit.name": text,
  "unit.address": text,
  "unit.creditCode": text,
  "unit.postalCode": text,
  "unit.head": text,
  "unit.headTitle": text,
  "unit.phone": text,
  "unit.email": text,
  "unit.undertaker": text,
  "project.mechanism": text,
  "project.countries": z.array(z.string()).nullable(),
  "project.period": text,
  "project.location": text,
  "project.scale": text,
  "project.foreignParticipants": text,
  "project.types": z.array(z.string()).nullable(),
  "project.typeOther": text,
  "basis.priorWork": bool,
  "basis.priorWorkDetails": text,
  "basis.hasPartners": bool,
  "basis.partners": z.array(Partner).nullable(),
  "basis.other": text,
  plan: text,
  "funding.requested": bool,
  "funding.selfFunded": text,
  "funding.selfFundedYuan": yuan,
  "funding.requestedAmount": text,
  "funding.requestedAmountYuan": yuan,
});
export type Fields = z.infer<typeof Fields>;
export type FieldKey = keyof Fields;
export const FIELD_KEYS = Object.keys(Fields.shape) as FieldKey[];

/** A record with every field empty: the start of every parse. */
export function emptyFields(): Fields {
  return Object.fromEntries(FIELD_KEYS.map((k) => [k, null])) as Fields;
}

/**
 * Fields FIELDS.md requires only on an answer elsewhere in the form: the
 * answer each depends on. A demand for one read from a scan is made only when
 * that answer was read surely too.
 */
export const REQUIRED_WHEN: Partial<Record<FieldKey, FieldKey>> = {
  "basis.priorWorkDetails": "basis.priorWork",
  "basis.partners": "basis.hasPartners",
  "funding.requestedAmount": "funding.requested",
  "project.typeOther": "project.types",
};
