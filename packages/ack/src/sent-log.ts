import { fileKey } from "./ids.js";
import { readOptionalJson, type AckStore } from "./store.js";

/** "correction": a corrected receipt (更正回执) a reviewer sent after correcting the record. */
export type AckReason = "new" | "update" | "resend" | "correction";

/**
 * The durable record of one receipt, `acks/<key>.json` in the archive.
 * "sending" is written before the SMTP transaction with the Message-ID the
 * receipt will carry, "sent" after the server accepted it.
 */
export interface AckLogEntry {
  ackKey: string;
  messageKey: string;
  reason: AckReason;
  status: "sending" | "sent" | "failed" | "suppressed";
  messageId: string | null;
  to: string | null;
  subject?: string;
  reference: string;
  /** SMTP attempts made for this receipt. */
  attempts: number;
  /** Deliberate resends (by ops) after it was sent; part of the Message-ID. */
  resends: number;
  /** Why it was suppressed or failed, or the last temporary error. */
  why?: string;
  response?: string;
  updatedAt: string;
  sentAt?: string;
}

export function ackLogPath(ackKey: string): string {
  return `acks/${fileKey(ackKey)}.json`;
}

export function ackFailedPath(ackKey: string): string {
  return `acks-failed/${fileKey(ackKey)}.json`;
}

export async function readAckLog(store: AckStore, ackKey: string): Promise<AckLogEntry | null> {
  const v = await readOptionalJson(store, ackLogPath(ackKey));
  if (!v || typeof v !== "object") return null;
  const e = v as Partial<AckLogEntry>;
  return typeof e.status === "string" ? (e as AckLogEntry) : null;
}

export async function writeAckLog(store: AckStore, entry: AckLogEntry): Promise<void> {
  await store.putJson(ackLogPath(entry.ackKey), entry);
}

/** The ops-visible list of receipts that were not delivered; resend with reason "resend". */
export async function writeAckFailed(store: AckStore, entry: AckLogEntry): Promise<void> {
  await store.putJson(ackFailedPath(entry.ackKey), entry);
}
