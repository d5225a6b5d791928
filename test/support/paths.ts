import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** The repository's root. */
export const repoRoot = resolve(import.meta.dirname, "../..");
/** tsx's loader, by absolute URL so that a child process may run in any folder. */
const tsxLoader = pathToFileURL(createRequire(resolve(repoRoot, "package.json")).resolve("tsx")).href;
/** Runs the intake CLI as a real process: node with tsx, as `pnpm intake` does. */
export const cliArgs = ["--import", tsxLoader, resolve(repoRoot, "services/intake/src/cli.ts")];
