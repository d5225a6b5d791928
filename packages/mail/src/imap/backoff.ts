/** How long a mailbox watcher waits before reconnecting. */
export interface ImapBackoff {
  /** First wait after a failure, in ms; default 10 000 (a 30 s outage costs at most two attempts). */
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
 * between half and all of min·2^(n-1), capped at max. Failures only a person
 * can fix start slower; repeated failures never come faster than one a minute,
 * so a provider never sees a login storm that would lock the account.
 */
export function reconnectDelay(failures: number, kind: "transient" | "config", b: ImapBackoff = DEFAULT_IMAP_BACKOFF, random: () => number = Math.random): number {
  const n = Math.max(1, failures);
  const min = kind === "config" ? Math.max(b.minMs, b.configMinMs ?? Math.min(60_000, b.maxMs)) : b.minMs;
  const base = Math.min(b.maxMs, min * 2 ** Math.min(n - 1, 20));
  let delay = base / 2 + random() * (base / 2);
  if (n >= 3) delay = Math.max(delay, b.repeatedMinMs ?? Math.min(60_000, b.maxMs));
  return Math.round(Math.min(delay, b.maxMs));
}
