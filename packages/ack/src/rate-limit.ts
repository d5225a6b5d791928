import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * Counts receipts per recipient in fixed one-hour windows in Redis. A flood
 * of emails from one address (or one forged as it) cannot turn us into a
 * mail cannon. Returns whether this receipt is within the limit.
 */
export async function takeRateSlot(
  redis: Redis,
  prefix: string,
  recipient: string,
  perHour: number,
  now: Date,
): Promise<boolean> {
  const hour = Math.floor(now.getTime() / 3_600_000);
  const who = createHash("sha256").update(recipient.toLowerCase()).digest("hex").slice(0, 32);
  const key = `${prefix}rate:${who}:${hour}`;
  const [[, count]] = (await redis.multi().incr(key).expire(key, 7200).exec()) as [[Error | null, number]];
  return count <= perHour;
}

/** A short lock so that two workers never send the same receipt at once (e.g. a stalled job re-run). */
export async function takeLock(redis: Redis, key: string, token: string, ttlMs: number): Promise<boolean> {
  return (await redis.set(key, token, "PX", ttlMs, "NX")) === "OK";
}

/** Extends a lock this holder still owns; false when it was lost (expired and taken). */
export async function renewLock(redis: Redis, key: string, token: string, ttlMs: number): Promise<boolean> {
  const r = await redis.eval('if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) end return 0', 1, key, token, ttlMs);
  return r === 1;
}

export async function releaseLock(redis: Redis, key: string, token: string): Promise<void> {
  await redis.eval('if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0', 1, key, token);
}
