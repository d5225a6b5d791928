import { z } from "zod";

/** The flag codes of FIELDS.md: stable strings reviewers filter on. */
export const FLAG_CODES = [
  "missing-word-file",
  "missing-scan",
  "missing-signature",
  "missing-seal",
  "missing-field",
  "invalid-field",
  "scan-mismatch",
  "country-outside-mechanism",
  "excluded-project-kind",
  "late-submission",
  "unreadable-attachment",
  "suspicious-attachment",
  "resubmission",
] as const;

export const FlagCode = z.enum(FLAG_CODES);
export type FlagCode = z.infer<typeof FlagCode>;

/** One flag: its code, the field it is about (for missing-/invalid-field), and why, in words. */
export const Flag = z.object({
  code: FlagCode,
  field: z.string().optional(),
  /** A short reason for people (e.g. "check character should be 7"); never parsed. */
  detail: z.string().optional(),
  /** The attachment the flag is about, when it is about one. */
  file: z.string().optional(),
  /**
   * A warning for reviewers only: the file was read all the same (a Word form
   * with macros, a PDF with scripts), and the receipt asks nothing about it.
   */
  notice: z.boolean().optional(),
});
export type Flag = z.infer<typeof Flag>;

/** The compact form RESULT.md uses: `code` or `code:field`. */
export function flagKey(f: Flag): string {
  return f.field ? `${f.code}:${f.field}` : f.code;
}

/** Removes repeated flags (same code, field and file), keeping the first. */
export function uniqueFlags(flags: readonly Flag[]): Flag[] {
  const seen = new Set<string>();
  return flags.filter((f) => {
    const k = `${flagKey(f)}|${f.file ?? ""}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
