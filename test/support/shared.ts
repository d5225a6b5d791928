// The measurement data (corpora with ground truth, hostile and wild mail, real
// seals) lives outside the repository: INTAKE_SHARED_DIR, else ../shared
// beside it. Suites that measure against it run only when it is there and
// otherwise say in one line what they skipped and why; everything else uses
// the repository's own fixtures (samples/, test/fixtures/).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe } from "vitest";

const repoRoot = resolve(import.meta.dirname, "../..");

/** Where the measurement data is looked for. */
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

/**
 * A suite over the measurement data: `needs` are the folders or files of it
 * that the suite reads (e.g. "corpus", "wild-mail"). Without them the suite is
 * skipped and one line says so.
 */
export function describeShared(name: string, needs: string[], fn: () => void): void {
  const missing = missingShared(...needs);
  if (missing === null) {
    describe(name, fn);
    return;
  }
  console.log(`skipped "${name}": needs the measurement data, ${missing} not found (INTAKE_SHARED_DIR, default ../shared beside the repository)`);
  // The body is not run: it may read the data while collecting its tests.
  describe.skip(`${name} (skipped: no ${missing})`, () => {});
}
