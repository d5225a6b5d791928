import { Fields, type Decision, type Flag, type FlagCode, type MessageResult, type SubmissionResult } from "@intake/schema";
import { FlagCode as FlagCodeSchema } from "@intake/schema";
import { DecisionAfter, ReceiptAfter, StateAfter, targetKey, VersionAfter, type DecisionAbout, type JournalEntry, type ReviewStateCode } from "./journal-entry.js";

/** The flag a confident not-found of each judgment raises. */
export const DECISION_FLAGS: Record<DecisionAbout, FlagCode> = { signature: "missing-signature", seal: "missing-seal", scanMatch: "scan-mismatch" };

export interface ReviewState {
  state: ReviewStateCode;
  note: string;
  by?: string;
  byName?: string;
  at?: string;
}

/** What the journal says about one submission. */
export interface SubmissionReview {
  state: ReviewState;
  /** The latest entry per corrected target (decisions, fields, flags), oldest first. */
  corrections: JournalEntry[];
  /** Every entry about the submission, oldest first. */
  history: JournalEntry[];
  /** Corrected receipts queued, oldest first. */
  receipts: { entry: JournalEntry; ackKey: string }[];
}

export interface CorrectedRecord {
  /** The machine record with every correction applied (the machine's own file is untouched). */
  record: MessageResult;
  /** Per submission, by position. */
  reviews: SubmissionReview[];
}

const PENDING: ReviewState = { state: "pending", note: "" };

/** Joins a machine record and its journal entries: the view every page, export and corrected receipt shows. */
export function applyCorrections(machine: MessageResult, entries: readonly JournalEntry[]): CorrectedRecord {
  const record: MessageResult = structuredClone(machine);
  const reviews: SubmissionReview[] = record.submissions.map(() => ({ state: PENDING, corrections: [], history: [], receipts: [] }));
  for (const e of entries) {
    const s = record.submissions[e.submission];
    const review = reviews[e.submission];
    if (!s || !review || e.messageKey !== machine.messageKey) continue;
    review.history.push(e);
    const t = e.target;
    if (t.kind === "state") {
      const a = StateAfter.safeParse(e.after);
      if (a.success) review.state = { state: a.data.state, note: a.data.note, by: e.by, byName: e.byName, at: e.at };
      continue;
    }
    if (t.kind === "receipt") {
      const a = ReceiptAfter.safeParse(e.after);
      if (a.success) review.receipts.push({ entry: e, ackKey: a.data.ackKey });
      continue;
    }
    if (!applyOne(s, e, machine.submissions[e.submission]!)) continue;
    const k = targetKey(t);
    review.corrections = [...review.corrections.filter((c) => targetKey(c.target) !== k), e];
  }
  const needed = record.submissions.some((s) => s.review?.needed);
  if (record.review) record.review = { ...record.review, needed: needed || record.review.reasons.some((r) => r.code === "step-failed") };
  return { record, reviews };
}

function applyOne(s: SubmissionResult, e: JournalEntry, machine: SubmissionResult): boolean {
  const t = e.target;
  if (t.kind === "decision") {
    const a = DecisionAfter.safeParse(e.after);
    if (!a.success) return false;
    const machine: Decision | undefined = s.decisions?.[t.about];
    const d: Decision = { outcome: a.data.outcome, confidence: 1, reason: "reviewer", ...(e.why ? { detail: e.why } : {}), ...(machine?.evidence ? { evidence: machine.evidence } : {}) };
    s.decisions = { ...s.decisions, [t.about]: d };
    if (t.about === "signature") s.signoff = { ...s.signoff, signature: d.outcome === "found" };
    if (t.about === "seal") s.signoff = { ...s.signoff, seal: d.outcome === "found" };
    setFlag(s, DECISION_FLAGS[t.about], d.outcome === "not-found");
    dropReview(s, (r) => r.about === t.about);
    return true;
  }
  if (t.kind === "field") {
    if (!(t.key in Fields.shape)) return false;
    const shape = Fields.shape[t.key as keyof typeof Fields.shape];
    const v = shape.safeParse(e.after);
    if (!v.success) return false;
    s.fields = { ...s.fields, [t.key]: v.data };
    // A value a reviewer wrote in is what the form should hold: its field flags no longer stand.
    if (v.data !== null) {
      setFlag(s, "missing-field", false, t.key);
      setFlag(s, "invalid-field", false, t.key);
    }
    dropReview(s, (r) => r.about === "field" && r.field === t.key);
    return true;
  }
  if (t.kind === "version") return decideVersion(s, e, machine);
  if (t.kind === "flag") {
    if (typeof e.after !== "boolean") return false;
    const i = t.key.indexOf(":");
    const code = FlagCodeSchema.safeParse(i < 0 ? t.key : t.key.slice(0, i));
    if (!code.success) return false;
    setFlag(s, code.data, e.after, i < 0 ? undefined : t.key.slice(i + 1));
    return true;
  }
  return false;
}

/** Review reasons a reviewer settles by deciding on a held version. */
const HELD_CODES: ReadonlySet<string> = new Set(["other-sender-version", "other-sender-follow-up"]);

/**
 * A reviewer's word on a version held out of its project's line: accepted,
 * it joins the line under the project's key (and, being newer, replaces the
 * current version in every view); rejected, it stays apart and the current
 * version stands. Either way no person is asked any more.
 */
function decideVersion(s: SubmissionResult, e: JournalEntry, machine: SubmissionResult): boolean {
  const a = VersionAfter.safeParse(e.after);
  if (!a.success || !s.heldVersion) return false;
  const { of } = s.heldVersion;
  s.heldVersion = { of, decision: a.data.decision };
  // A later entry may undo an earlier one: the held key is the machine's.
  s.projectKey = a.data.decision === "accepted" ? of : machine.projectKey;
  const detail = a.data.decision === "accepted" ? `经审核人确认，替代此前版本：${e.why}` : `经审核人确认，不替代此前版本：${e.why}`;
  if (s.flagDetails) s.flagDetails = s.flagDetails.map((f) => (f.code === "resubmission" ? { code: f.code, detail } : f));
  if (s.review) {
    const reasons = s.review.reasons.filter((r) => !HELD_CODES.has(r.code));
    s.review = { needed: reasons.length > 0, reasons };
  }
  return true;
}

function setFlag(s: SubmissionResult, code: FlagCode, on: boolean, field?: string): void {
  const key = field ? `${code}:${field}` : code;
  const has = s.flags.includes(key);
  if (on && !has) {
    s.flags = [...s.flags, key];
    if (s.flagDetails) s.flagDetails = [...s.flagDetails, { code, ...(field ? { field } : {}) } as Flag];
  } else if (!on && has) {
    s.flags = s.flags.filter((f) => f !== key);
    if (s.flagDetails) s.flagDetails = s.flagDetails.filter((f) => !(f.code === code && (f.field ?? undefined) === field));
  }
}

function dropReview(s: SubmissionResult, match: (r: NonNullable<SubmissionResult["review"]>["reasons"][number]) => boolean): void {
  if (!s.review) return;
  const reasons = s.review.reasons.filter((r) => !(r.code === "undecided" && match(r)));
  s.review = { needed: reasons.length > 0, reasons };
}

/**
 * A reviewer's text for a field as the schema's value: lists split on 、 , ;
 * or new lines, 是/否 for yes-no fields, amounts as numbers, partners one per
 * line as "name：basis". Empty is null. Returns undefined when it cannot be one.
 */
export function parseFieldText(key: string, text: string): Fields[keyof Fields] | undefined {
  if (!(key in Fields.shape)) return undefined;
  const shape = Fields.shape[key as keyof typeof Fields.shape];
  const t = text.normalize("NFKC").trim();
  if (t === "") return null;
  const candidates: unknown[] = [t];
  const list = t.split(/[、,，;；\n]+/).map((x) => x.trim()).filter(Boolean);
  candidates.push(list);
  if (/^(是|有|yes|true)$/i.test(t)) candidates.push(true);
  if (/^(否|无|no|false)$/i.test(t)) candidates.push(false);
  const n = Number(t.replace(/[,，\s]/g, "").replace(/元$/, ""));
  if (Number.isFinite(n)) candidates.push(n);
  candidates.push(
    t.split(/\n+/).map((l) => {
      const [name, ...basis] = l.replace(/^\d+[.、]\s*/, "").split(/[：:]/);
      return { name: name?.trim() || null, basis: basis.join("：").trim() || null };
    }),
  );
  for (const c of candidates) {
    const r = shape.safeParse(c);
    if (r.success) return r.data;
  }
  return undefined;
}
