/**
 * What "complete" means, in four words: 齐全 (nothing to ask, nothing to
 * check), 齐全·需复核 (nothing missing, but a person must judge something:
 * an undecided machine judgment, a country or project kind outside the call,
 * a file refused as unsafe), 不齐全 (material missing or wrong: the applicant
 * is asked for it), 逾期 (arrived after the deadline, whatever else).
 */
export type Completeness = "complete" | "review" | "incomplete" | "late";
export const COMPLETENESS: readonly Completeness[] = ["complete", "review", "incomplete", "late"];

/** Flags that mean the applicant must send or fix material. */
const INCOMPLETE = new Set(["missing-word-file", "missing-scan", "missing-signature", "missing-seal", "missing-field", "invalid-field", "scan-mismatch", "unreadable-attachment"]);
/** Flags a reviewer must judge; nothing is missing because of them. */
const JUDGE = new Set(["country-outside-mechanism", "excluded-project-kind", "suspicious-attachment"]);

export function completenessOf(flagCodes: readonly string[], reviewNeeded: boolean, reviewed: boolean): Completeness {
  if (flagCodes.includes("late-submission")) return "late";
  if (flagCodes.some((c) => INCOMPLETE.has(c))) return "incomplete";
  // Once a reviewer closed the submission, what they had to judge is judged.
  if (!reviewed && (reviewNeeded || flagCodes.some((c) => JUDGE.has(c)))) return "review";
  return "complete";
}
