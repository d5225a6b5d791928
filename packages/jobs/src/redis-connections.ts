import { Redis } from "ioredis";
import type { Logger } from "pino";
import { redisOptionsFromUrl } from "./connection.js";

export interface RedisConnections {
  /** For producers: a command gives up after a few reconnect attempts, so the poller retries later instead of hanging. */
  producer: ReturnType<typeof redisOptionsFromUrl>;
  /** For BullMQ workers: waits for Redis for ever (required by BullMQ's blocking commands). */
  worker: ReturnType<typeof redisOptionsFromUrl>;
  /** A shared client for small commands (locks, rate limits). */
  client: Redis;
  close(): Promise<void>;
}

/** Connection settings for one Redis URL; only `client` connects, lazily, on first use. */
export function createRedisConnections(url: string, logger: Logger): RedisConnections {
  const producer = redisOptionsFromUrl(url, { maxRetriesPerRequest: 3 });
  const worker = redisOptionsFromUrl(url);
  const client = new Redis({ ...producer, lazyConnect: true });
  let down = false;
  client.on("error", (err: Error) => {
    if (!down) logger.warn({ err }, "Redis unavailable; retrying");
    down = true;
  });
  client.on("ready", () => {
    if (down) logger.info("Redis reachable again");
    down = false;
  });
  return {
    producer,
    worker,
    client,
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
