import type { RedisOptions } from "bullmq";

export interface RedisConnectionOptions {
  /** Give up on a command after this many reconnect attempts (null: wait for ever, as workers must); default null. */
  maxRetriesPerRequest?: number | null;
}

/**
 * ioredis options from a redis:// URL, reconnecting with capped backoff so
 * a Redis restart is survived. Workers need maxRetriesPerRequest null;
 * producers pass a number so an enqueue fails (and is retried by the caller)
 * instead of hanging while Redis is down.
 */
export function redisOptionsFromUrl(url: string, opts: RedisConnectionOptions = {}): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname || "127.0.0.1",
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(u.protocol === "rediss:" ? { tls: {} } : {}),
    maxRetriesPerRequest: opts.maxRetriesPerRequest === undefined ? null : opts.maxRetriesPerRequest,
    enableReadyCheck: true,
    retryStrategy: (times: number) => Math.min(200 * 2 ** Math.min(times, 10), 5_000),
  };
}
