import type { MessageResult } from "@intake/schema";

/**
 * What the receipt needs from the archive. The pipeline's `Archive` satisfies
 * it structurally; it is declared here so that this package does not import
 * the pipeline (the pipeline enqueues receipt jobs, so that would be a cycle).
 */
export interface AckStore {
  /** The stored record of one message. */
  readRecord(messageKey: string): Promise<MessageResult | null | undefined>;
  /** The raw email as archived. */
  readRaw(messageKey: string): Promise<Buffer | Uint8Array | null | undefined>;
  /** A JSON file relative to the archive root; null/undefined (or an ENOENT error) when absent. */
  readJson(rel: string): Promise<unknown>;
  /** Writes a JSON file relative to the archive root, atomically. */
  putJson(rel: string, value: unknown): Promise<void>;
}

/** Reads an optional JSON file: absence is null, any other failure propagates (never guess "absent"). */
export async function readOptionalJson(store: AckStore, rel: string): Promise<unknown> {
  try {
    const v = await store.readJson(rel);
    return v ?? null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException | null)?.code === "ENOENT") return null;
    throw e;
  }
}
