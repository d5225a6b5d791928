import { fileURLToPath } from "node:url";

// Defaults by the repository's own layout, so the CLI works from any folder.
/** The daemon's default settings. */
export const DEFAULT_CONFIG = fileURLToPath(new URL("../../../config/default.yaml", import.meta.url));
/** This year's call. */
export const DEFAULT_CALL = fileURLToPath(new URL("../../../config/calls/2026.yaml", import.meta.url));
