import { z } from "zod";

/** A submission's review state: 待核对 → 已核对 / 需补件 / 不予受理 (names in the call's `report.reviewStates`). */
export const REVIEW_STATES = ["pending", "checked", "needs-documents", "rejected"] as const;
export const ReviewStateCode = z.enum(REVIEW_STATES);
export type ReviewStateCode = z.infer<typeof ReviewStateCode>;

/** The judgments a reviewer may confirm or override. */
export const CORRECTABLE_DECISIONS = ["signature", "seal", "scanMatch"] as const;
export const DecisionAbout = z.enum(CORRECTABLE_DECISIONS);
export type DecisionAbout = z.infer<typeof DecisionAbout>;

/** What an entry is about. */
export const JournalTarget = z.discriminatedUnion("kind", [
  /** A machine judgment, confirmed or overridden: after = { outcome }. */
  z.object({ kind: z.literal("decision"), about: DecisionAbout }),
  /** A field's value: after = the corrected value (the schema's type for the field). */
  z.object({ kind: z.literal("field"), key: z.string().max(64) }),
  /** A flag (`code` or `code:field`) upheld or withdrawn: after = true / false. */
  z.object({ kind: z.literal("flag"), key: z.string().max(128) }),
  /** The review state: after = { state, note }. */
  z.object({ kind: z.literal("state") }),
  /** A version held for review (another sender's) accepted, so it replaces the current one, or rejected: after = { decision }. */
  z.object({ kind: z.literal("version") }),
  /** A corrected receipt was queued: after = { ackKey }. */
  z.object({ kind: z.literal("receipt") }),
]);
export type JournalTarget = z.infer<typeof JournalTarget>;

/** One line of the journal: who changed what, when, from what to what, and why. Never edited, never removed. */
export const JournalEntry = z.object({
  id: z.string().min(8).max(64),
  at: z.string(),
  /** Account name of the reviewer. */
  by: z.string().max(64),
  /** Their own name at the time, for display. */
  byName: z.string().max(64).optional(),
  messageKey: z.string().min(1).max(300),
  /** Which submission of the message (its position in the record). */
  submission: z.number().int().min(0).max(1000),
  target: JournalTarget,
  before: z.unknown(),
  after: z.unknown(),
  why: z.string().max(2000),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

export const DecisionAfter = z.object({ outcome: z.enum(["found", "not-found"]) });
export const StateAfter = z.object({ state: ReviewStateCode, note: z.string().max(2000).default("") });
export const ReceiptAfter = z.object({ ackKey: z.string() });
export const VersionAfter = z.object({ decision: z.enum(["accepted", "rejected"]) });

/** A stable text of a target, for grouping entries: later entries on the same target win. */
export function targetKey(t: JournalTarget): string {
  switch (t.kind) {
    case "decision":
      return `decision:${t.about}`;
    case "field":
      return `field:${t.key}`;
    case "flag":
      return `flag:${t.key}`;
    default:
      return t.kind;
  }
}
