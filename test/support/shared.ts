// Suites that measure against the data outside the repository (see
// shared-dir.ts) run only when it is there and otherwise say in one line what
// they skipped and why; everything else uses the repository's own fixtures
// (samples/, test/fixtures/, inputs built by the test).
import { describe } from "vitest";
import { missingShared } from "./shared-dir.js";

export { missingShared, sharedDir, sharedPath } from "./shared-dir.js";

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
