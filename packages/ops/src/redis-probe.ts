import { Redis } from "ioredis";
import { redisOptionsFromUrl } from "@intake/jobs";

export interface RedisProbe {
  ok: boolean;
  /** What went wrong, when not ok. */
  error?: string;
  /** Server version, when ok. */
  version?: string;
  /** maxmemory-policy, when the server lets us read it (the queues need "noeviction"). */
  evictionPolicy?: string;
  /** appendonly ("yes"/"no"), when the server lets us read it (queued jobs survive a restart only with AOF). */
  appendOnly?: string;
}

/** One bounded connection attempt: a CLI must answer promptly when Redis is down, not retry for ever. */
export async function probeRedis(url: string, timeoutMs = 3_000): Promise<RedisProbe> {
  const redis = new Redis({
    ...redisOptionsFromUrl(url, { maxRetriesPerRequest: 0 }),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // connect() only says "Connection is closed"; the error event says why (ECONNREFUSED, auth, DNS).
  let cause: Error | undefined;
  redis.on("error", (err: Error) => {
    cause ??= err;
  });
  try {
    await redis.connect();
    await redis.ping();
    const info = await redis.info("server");
    const version = /redis_version:(\S+)/.exec(info)?.[1];
    const setting = async (name: string): Promise<string | undefined> => {
      try {
        return ((await redis.config("GET", name)) as string[])[1];
      } catch {
        // Managed Redis often refuses CONFIG; the setting is then unknown, not wrong.
        return undefined;
      }
    };
    const evictionPolicy = await setting("maxmemory-policy");
    const appendOnly = await setting("appendonly");
    return { ok: true, ...(version ? { version } : {}), ...(evictionPolicy ? { evictionPolicy } : {}), ...(appendOnly ? { appendOnly } : {}) };
  } catch (err) {
    const e = cause ?? err;
    return { ok: false, error: e instanceof Error ? e.message || e.name : String(e) };
  } finally {
    redis.disconnect();
  }
}
