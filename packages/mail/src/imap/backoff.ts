/** Exponential backoff with jitter: attempt 0 → about `min`, capped at `max` (ms). */
export function backoffDelay(attempt: number, min = 1_000, max = 60_000): number {
  const base = Math.min(max, min * 2 ** Math.min(attempt, 20));
  return Math.round(base / 2 + Math.random() * (base / 2));
}
