// Where the measurement data is (corpora with ground truth, hostile and wild
// mail, real seals): INTAKE_SHARED_DIR, else ../shared beside the repository.
// It is not part of the repository; tests and measuring scripts find it here.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

const repoRoot = resolve(import.meta.dirname, "../..");

export const sharedDir = resolve(repoRoot, process.env.INTAKE_SHARED_DIR || "../shared");

/** A path inside the measurement data. */
export function sharedPath(...parts: string[]): string {
  return join(sharedDir, ...parts);
}

/** The first of these paths (relative to the data folder) that is missing, or null when all are there. */
export function missingShared(...parts: string[]): string | null {
  for (const p of [sharedDir, ...parts.map((x) => sharedPath(x))]) if (!existsSync(p)) return p;
  return null;
}
