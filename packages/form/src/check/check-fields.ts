import type { Call, FieldKey, Fields, Flag } from "@intake/schema";
import { uniqueFlags } from "@intake/schema";
import { splitCountries } from "../normalise/countries.js";
import { creditCodeCheckChar, creditCodeValid } from "../normalise/credit-code.js";
import { addressHasPostcode, emailValid, mobileValid, phoneValid, postcodeValid } from "../normalise/contacts.js";
import { compactKey } from "../normalise/text.js";
import { excludedKind } from "./excluded-kind.js";

/** Fields the form requires whatever else is filled in (FIELDS.md). */
const ALWAYS_REQUIRED: FieldKey[] = [
  "cover.applicantUnit",
  "cover.projectName",
  "cover.contactName",
  "cover.mobile",
  "cover.phone",
  "cover.email",
  "cover.address",
  "cover.filledDate",
  "unit.name",
  "unit.address",
  "unit.creditCode",
  "unit.postalCode",
  "unit.head",
  "unit.headTitle",
  "unit.phone",
  "unit.email",
  "project.mechanism",
  "project.countries",
  "project.period",
  "project.location",
  "project.types",
  "basis.priorWork",
  "basis.hasPartners",
  "plan",
  "funding.requested",
];

function empty(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && v.length === 0);
}

function unitName(s: string): string {
  return compactKey(s).replace(/[()（）]/g, "");
}

export interface CheckOptions {
  /**
   * The fields were read by OCR from the scanned copy (no Word form came).
   * A date with the shape of one (年…月 or 月…日) that OCR could not resolve, such as
   * 二〇二六年一月二日 with its 〇 misread, is then a failed reading, not a
   * wrong answer: it is kept as read for the reviewer, not flagged invalid
   * (the receipt would otherwise tell the applicant their date is wrong).
   */
  ocr?: boolean;
}

/** The checks of FIELDS.md on a parsed form: missing and invalid fields, countries outside the mechanism, excluded project kinds. */
export function checkFields(fields: Fields, call: Call, opts: CheckOptions = {}): Flag[] {
  const flags: Flag[] = [];
  const missing = (field: FieldKey) => flags.push({ code: "missing-field", field, detail: "left empty" });
  const invalid = (field: FieldKey, detail: string) => flags.push({ code: "invalid-field", field, detail });

  for (const k of ALWAYS_REQUIRED) if (empty(fields[k])) missing(k);
  if (fields["basis.priorWork"] === true && empty(fields["basis.priorWorkDetails"])) missing("basis.priorWorkDetails");
  if (fields["basis.hasPartners"] === true) {
    const named = (fields["basis.partners"] ?? []).filter((p) => !empty(p.name));
    if (named.length === 0) missing("basis.partners");
  }
  if (fields["funding.requested"] === true && empty(fields["funding.requestedAmount"])) missing("funding.requestedAmount");
  if (fields["project.types"]?.includes("other") && empty(fields["project.typeOther"])) missing("project.typeOther");

  const v = (k: FieldKey) => {
    const x = fields[k];
    return typeof x === "string" && x.trim() !== "" ? x.trim() : null;
  };
  const code = v("unit.creditCode");
  if (code && !creditCodeValid(code)) {
    const c = code.toUpperCase();
    const expected = c.length === 18 ? creditCodeCheckChar(c.slice(0, 17)) : null;
    invalid("unit.creditCode", expected ? `check character should be ${expected}` : "not 18 characters of the code's alphabet (GB 32100-2015)");
  }
  const mobile = v("cover.mobile");
  if (mobile && !mobileValid(mobile)) invalid("cover.mobile", "not an 11-digit mainland mobile number");
  for (const k of ["cover.phone", "unit.phone"] as const) {
    const p = v(k);
    if (p && !phoneValid(p)) invalid(k, "not a telephone number");
  }
  for (const k of ["cover.email", "unit.email"] as const) {
    const e = v(k);
    if (e && !emailValid(e)) invalid(k, "not an e-mail address");
  }
  const pc = v("unit.postalCode");
  if (pc && !postcodeValid(pc)) invalid("unit.postalCode", "not 6 digits");
  const addr = v("cover.address");
  if (addr && !addressHasPostcode(addr)) invalid("cover.address", "no 6-digit postcode");
  const date = v("cover.filledDate");
  const unreadDate = opts.ocr && date !== null && /年.{0,6}月|月.{0,6}日/.test(date);
  if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date) && !unreadDate) invalid("cover.filledDate", "not a date");
  const cover = v("cover.applicantUnit");
  const unit = v("unit.name");
  if (cover && unit && unitName(cover) !== unitName(unit)) invalid("unit.name", "differs from the applicant unit on the cover");

  const mech = v("project.mechanism");
  const mechanism = mech ? call.mechanisms.find((m) => m.id === mech) : undefined;
  if (mech && !mechanism) invalid("project.mechanism", "not one of the call's mechanisms");
  const countries = fields["project.countries"];
  if (mechanism && countries?.length) {
    const region = new Set(mechanism.countries.flatMap((c) => splitCountries(c, call)));
    const outside = countries.map((c) => call.countryAliases[c] ?? c).filter((c) => !region.has(c));
    if (outside.length)
      flags.push({ code: "country-outside-mechanism", detail: `${outside.join("、")} not in ${mechanism.name}` });
  }

  const kind = excludedKind(fields, call);
  if (kind) flags.push({ code: "excluded-project-kind", detail: `${kind.kind}: ${kind.match}` });
  return uniqueFlags(flags);
}
