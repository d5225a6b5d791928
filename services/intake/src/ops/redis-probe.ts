import { Redis } from "ioredis";
import { redisOptionsFromUrl } from "@intake/pipeline";

export interface RedisProbe {
  ok: boolean;
  /** What went wrong, when not ok. */
  error?: string;
  /** Server version, when ok. */
  version?: string;
  /** maxmemory-policy, when the server lets us read it (the queues need "noeviction"). */
  evictionPolicy?: string;
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
    let evictionPolicy: string | undefined;
    try {
      const cfg = (await redis.config("GET", "maxmemory-policy")) as string[];
      evictionPolicy = cfg[1];
    } catch {
      // Managed Redis often refuses CONFIG; the policy is then unknown, not wrong.
    }
    return { ok: true, ...(version ? { version } : {}), ...(evictionPolicy ? { evictionPolicy } : {}) };
  } catch (err) {
    const e = cause ?? err;
    return { ok: false, error: e instanceof Error ? e.message || e.name : String(e) };
  } finally {
    redis.disconnect();
  }
}
