import type { createLogger } from "@intake/logger";

/** The pino logger type, taken from the pipeline's factory so this service needs no direct pino dependency. */
export type Logger = ReturnType<typeof createLogger>;
