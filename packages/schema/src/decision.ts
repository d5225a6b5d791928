import { z } from "zod";

/**
 * The one vocabulary for machine judgments (signature, seal, scan-matches-form,
 * a field read from a scan). Only a confident "not-found" on a region read in
 * full may become a demand to the applicant; everything cut short or unsure is
 * "undecided" and goes to a person.
 */
export const OUTCOMES = ["found", "not-found", "undecided"] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

/**
 * Why a decision came out as it did: stable codes for ops and reviewers.
 * The first two explain a confident outcome; the others say what cut it short.
 */
export const DECISION_REASONS = [
  /** The region that should hold it was read in full and the detector is sure. */
  "read-in-full",
  /** A reviewer decided it (a correction or a confirmation). */
  "reviewer",
  /** The detector's confidence is below the call's threshold for this kind of decision. */
  "low-confidence",
  /** The work budget (pages, OCR passes) ran out before the region was read. */
  "budget-spent",
  /** The page that should hold it was not read (page cap, failure on that page). */
  "page-not-read",
  /** Where it should be (the sign-off labels, the cover) could not be located on any page. */
  "region-not-located",
  /** A page or image is in a codec or form we cannot decode. */
  "undecodable",
  /** The OCR engine or a worker failed while reading. */
  "engine-failed",
  /** Our own job ran out of retries (crash, stall, lost connection): nothing was decided. */
  "job-failed",
  /** Too little was read (a short or garbled OCR text) to compare or judge. */
  "too-little-text",
] as const;
export const DecisionReason = z.enum(DECISION_REASONS);
export type DecisionReason = z.infer<typeof DecisionReason>;

/** A rectangle on a page, as fractions (0..1) of the upright page's width and height. */
export const PageBox = z.object({
  x0: z.number(),
  y0: z.number(),
  x1: z.number(),
  y1: z.number(),
});
export type PageBox = z.infer<typeof PageBox>;

/** Where a decision was made: the page, the box of what was found, the regions searched, a crop. */
export const DecisionEvidence = z.object({
  /** 1-based page of the scanned copy (all its files together). */
  page: z.number().int().optional(),
  /** The box of what was found (or of the region read, when nothing was found). */
  box: PageBox.optional(),
  /** The regions that were searched, so a reviewer sees where nothing was found. */
  searched: z.array(PageBox).optional(),
  /** How far the page was turned (clockwise degrees) to read it upright; boxes are on the upright page. */
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]).optional(),
  /** Archive-relative path of an upright crop (PNG/JPEG) that shows it. */
  crop: z.string().optional(),
  /** For comparisons (scan-matches-form): the two values that were compared. */
  expected: z.string().optional(),
  actual: z.string().optional(),
});
export type DecisionEvidence = z.infer<typeof DecisionEvidence>;

export const Decision = z.object({
  outcome: Outcome,
  /** 0..1: how sure the outcome is (for undecided: how sure the detector leaned, if at all). */
  confidence: z.number().min(0).max(1),
  reason: DecisionReason.optional(),
  /** A short note for reviewers and logs (never parsed). */
  detail: z.string().optional(),
  evidence: DecisionEvidence.optional(),
});
export type Decision = z.infer<typeof Decision>;

/** The decision kinds whose thresholds the call sets. */
export const DECISION_KINDS = ["signature", "seal", "scanMatch", "field"] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/**
 * Minimum confidence for an outcome to stand, per direction: a not-found
 * becomes a demand to the applicant, so it needs more certainty than a found
 * (which a reviewer confirms anyway). Below it the decision is undecided.
 */
export const Threshold = z.object({
  found: z.number().min(0).max(1),
  notFound: z.number().min(0).max(1),
});
export type Threshold = z.infer<typeof Threshold>;

export const DecisionThresholds = z.object({
  signature: Threshold.default({ found: 0.6, notFound: 0.75 }),
  seal: Threshold.default({ found: 0.6, notFound: 0.75 }),
  scanMatch: Threshold.default({ found: 0.6, notFound: 0.8 }),
  field: Threshold.default({ found: 0.6, notFound: 0.8 }),
});
export type DecisionThresholds = z.infer<typeof DecisionThresholds>;

export const undecided = (reason: DecisionReason, extra: Partial<Omit<Decision, "outcome" | "reason">> = {}): Decision => ({
  outcome: "undecided",
  confidence: extra.confidence ?? 0,
  reason,
  ...(extra.detail ? { detail: extra.detail } : {}),
  ...(extra.evidence ? { evidence: extra.evidence } : {}),
});

/**
 * A detector's raw finding held to the call's threshold: a found or not-found
 * below it becomes undecided (low-confidence). Undecided stays undecided.
 */
export function settle(d: Decision, threshold: Threshold): Decision {
  if (d.outcome === "undecided") return d;
  if (d.confidence >= (d.outcome === "found" ? threshold.found : threshold.notFound)) return d;
  return { ...d, outcome: "undecided", reason: "low-confidence", detail: d.detail ?? `${d.outcome} at ${d.confidence}` };
}

/** RESULT.md's boolean: true for found, false for not-found, null for undecided. */
export function outcomeBoolean(d: Decision | null | undefined): boolean | null {
  if (!d) return null;
  return d.outcome === "found" ? true : d.outcome === "not-found" ? false : null;
}
