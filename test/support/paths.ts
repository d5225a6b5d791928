import { resolve } from "node:path";

/** The repository's root. */
export const repoRoot = resolve(import.meta.dirname, "../..");
/** The shared reference material beside the repository (read-only). */
export const sharedDir = resolve(repoRoot, "../shared");
/** Runs the intake CLI as a real process: node with tsx, as `pnpm intake` does. */
export const cliArgs = ["--import", "tsx", resolve(repoRoot, "services/intake/src/cli.ts")];
