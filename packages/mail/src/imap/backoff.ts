/** How long a mailbox watcher waits before reconnecting. */
export interface ImapBackoff {
  /** The unit of the waits, in ms: after the n-th failure in a row, min·2^(n-1) to min·2^n; default 10 000. */
  minMs: number;
  /** Longest wait, in ms; default 300 000. */
  maxMs: number;
  /** First wait after a refused login or a missing folder (a person must act), in ms; default 60 000. */
  configMinMs?: number;
  /** From the third failure in a row on, waits are at least this long (one login a minute); default min(60 000, maxMs). */
  repeatedMinMs?: number;
}

export const DEFAULT_IMAP_BACKOFF: ImapBackoff = { minMs: 10_000, maxMs: 300_000 };

/**
 * Exponential backoff with jitter: the n-th failure in a row (1-based) waits
 * between min·2^(n-1) and min·2^n, capped at max (a lost connection itself is
 * retried after min/2, so a 30 s outage costs at most two attempts). Failures only a person
 * can fix start slower; repeated failures never come faster than one a minute,
 * so a provider never sees a login storm that would lock the account.
 */
export function reconnectDelay(failures: number, kind: "transient" | "config", b: ImapBackoff = DEFAULT_IMAP_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, failures);
  const min = kind === "config" ? Math.max(b.minMs, b.configMinMs ?? Math.min(60_000, b.maxMs)) : b.minMs;
  const base = Math.min(b.maxMs, min * 2 ** Math.min(n, 20));
  let delay = base / 2 + random() * (base / 2);
  if (n >= 3) delay = Math.max(delay, b.repeatedMinMs ?? Math.min(60_000, b.maxMs));
  return Math.round(Math.min(delay, b.maxMs));
}
