import { createHash } from "node:crypto";
import type { MailboxHealth } from "@intake/mail";
import { safeSegment, type Archive } from "@intake/archive";

// What the running daemon knows about its connections, kept in the archive
// so that `intake status` (another process, maybe another machine) can tell
// the truth: when each mailbox was last checked, and whether receipts go out.

const mailboxPath = (mailbox: string): string =>
  `health/mailbox-${safeSegment(mailbox)}-${createHash("sha256").update(mailbox).digest("hex").slice(0, 8)}.json`;
/** Two files, each written whole by whoever saw the event: no read-modify-write between ack processes. */
const SMTP_SUCCESS = "health/smtp-success.json";
const SMTP_FAILURE = "health/smtp-failure.json";

export interface SmtpEvent {
  at: string;
  error?: string;
}

export interface SmtpHealth {
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
}

export async function writeMailboxHealth(archive: Archive, h: MailboxHealth): Promise<void> {
  await archive.putJson(mailboxPath(h.mailbox), h);
}

export async function readMailboxHealth(archive: Archive, mailbox: string): Promise<MailboxHealth | null> {
  return archive.readJson<MailboxHealth>(mailboxPath(mailbox)).catch(() => null);
}

export async function writeSmtpEvent(archive: Archive, ok: boolean, err?: Error): Promise<void> {
  const e: SmtpEvent = { at: new Date().toISOString(), ...(err && !ok ? { error: err.message.slice(0, 300) } : {}) };
  await archive.putJson(ok ? SMTP_SUCCESS : SMTP_FAILURE, e);
}

export async function readSmtpHealth(archive: Archive): Promise<SmtpHealth> {
  const ok = await archive.readJson<SmtpEvent>(SMTP_SUCCESS).catch(() => null);
  const bad = await archive.readJson<SmtpEvent>(SMTP_FAILURE).catch(() => null);
  return { lastSuccessAt: ok?.at ?? null, lastFailureAt: bad?.at ?? null, lastError: bad?.error ?? null };
}

/** How many poll intervals without a successful check make a mailbox unhealthy. */
export const STALE_POLL_INTERVALS = 3;

/** Why a mailbox is unhealthy, or null: not checked for 3 intervals (counted from `since` when it never was). */
export function mailboxProblem(h: MailboxHealth | null, intervalMs: number, now: number, since?: number): string | null {
  const limit = STALE_POLL_INTERVALS * intervalMs;
  const last = h?.lastPollAt ? Date.parse(h.lastPollAt) : since;
  if (last !== undefined && now - last <= limit) return null;
  const why = h?.failure ? `: ${h.failure.message}` : "";
  return h?.lastPollAt
    ? `not checked for ${Math.round((now - Date.parse(h.lastPollAt)) / 1000)}s (over ${STALE_POLL_INTERVALS} poll intervals)${why}`
    : `never checked successfully${why}`;
}

/** Why receipts cannot be sent, or null: the last SMTP attempt failed and none succeeded since. */
export function smtpProblem(h: SmtpHealth): string | null {
  if (!h.lastFailureAt) return null;
  if (h.lastSuccessAt && Date.parse(h.lastSuccessAt) >= Date.parse(h.lastFailureAt)) return null;
  return `receipts cannot be sent since ${h.lastFailureAt}${h.lastError ? `: ${h.lastError}` : ""}`;
}
