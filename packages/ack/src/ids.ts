import { createHash } from "node:crypto";
import type { Call } from "@intake/schema";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function digest(...parts: string[]): Buffer {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\u0000");
  return h.digest();
}

/**
 * The reference number printed on the receipt: the call's id and eight
 * Crockford base-32 characters derived from the message key, so a retried or
 * resent receipt carries the same number and staff can find the record by it.
 */
export function ackReference(call: Call, messageKey: string): string {
  const d = digest("reference", call.id, messageKey);
  let out = "";
  for (let i = 0; i < 8; i++) out += CROCKFORD[d[i]! & 31];
  return `${call.id}-${out}`;
}

/**
 * The receipt's own Message-ID, derived from the receipt's key (and a resend
 * counter): every attempt of one receipt carries the same id, so a receiving
 * server that de-duplicates by Message-ID drops a copy sent twice after a
 * crash. The domain is the call's first mailbox's, the sender's own.
 */
export function ackMessageId(call: Call, ackKey: string, resend = 0): string {
  const domain = call.mailboxes[0]?.address.split("@")[1] ?? "localhost";
  const id = digest("message-id", call.id, ackKey, String(resend)).toString("hex").slice(0, 32);
  return `<ack.${id}@${domain}>`;
}

/** A file name for a key: the key itself when it is already safe, else a hash of it. */
export function fileKey(key: string): string {
  // The archive's own message-key alphabet, so acks/<messageKey>.json is literal for every real key.
  if (/^[A-Za-z0-9_@+=-][A-Za-z0-9._@+=-]{0,219}$/.test(key) && !key.includes("..")) return key;
  return `k-${digest("file", key).toString("hex").slice(0, 40)}`;
}
