/** First retry delay for a temporary SMTP failure, in milliseconds. */
export const ACK_BACKOFF_BASE_MS = 30_000;
/** Longest wait between two attempts, in milliseconds. */
export const ACK_BACKOFF_MAX_MS = 60 * 60_000;

/**
 * Exponential backoff with jitter for temporary SMTP failures: half of the
 * exponential delay is fixed and half random, so many receipts deferred by
 * one outage do not all come back at the same moment. Usable as BullMQ's
 * `settings.backoffStrategy`.
 */
export function ackBackoff(
  attemptsMade: number,
  opts: { baseMs?: number; maxMs?: number; random?: () => number } = {},
): number {
  const base = opts.baseMs ?? ACK_BACKOFF_BASE_MS;
  const max = opts.maxMs ?? ACK_BACKOFF_MAX_MS;
  const exp = Math.min(max, base * 2 ** Math.max(0, Math.min(30, attemptsMade - 1)));
  const r = (opts.random ?? Math.random)();
  return Math.round(exp / 2 + (exp / 2) * r);
}

/**
 * Job options for receipt jobs: with these attempts and ackBackoff, retries
 * span about a day before a receipt is given up on (it then stays in the
 * sent-log as "sending" and can be resent).
 */
export const ACK_JOB_ATTEMPTS = 30;
