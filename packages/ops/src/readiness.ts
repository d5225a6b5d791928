import { access, constants } from "node:fs/promises";
import type { Redis } from "ioredis";
import { probeRedis } from "./redis-probe.js";

/** One readiness condition: resolves when met (optionally with what it saw), throws (with what is wrong) when not. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void | string>;
}

/** Redis answers PING (the queues live there). */
export function redisReady(redis: Pick<Redis, "ping">): ReadinessCheck {
  return {
    name: "redis",
    async check() {
      const pong = await redis.ping();
      if (pong !== "PONG") throw new Error(`unexpected PING reply ${String(pong)}`);
    },
  };
}

/** The archive folder exists and this process may write to it (it is the source of truth). */
export function archiveReady(root: string): ReadinessCheck {
  return {
    name: "archive",
    async check() {
      await access(root, constants.W_OK | constants.R_OK);
    },
  };
}

export interface ReadinessResult {
  ready: boolean;
  checks: Array<{ name: string; ok: boolean; detail?: string; error?: string }>;
}

/** Runs every check at once, each bounded by `timeoutMs` so a hung dependency reads as not ready. */
export async function runReadiness(checks: readonly ReadinessCheck[], timeoutMs = 2_000): Promise<ReadinessResult> {
  const results = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const detail = await Promise.race([
          c.check(),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return { name: c.name, ok: true, ...(typeof detail === "string" ? { detail } : {}) };
      } catch (err) {
        return { name: c.name, ok: false, error: err instanceof Error ? err.message : String(err) };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return { ready: results.every((r) => r.ok), checks: results };
}

/** Redis at this URL answers PING, over a fresh bounded connection (no client of the daemon's needed). */
export function redisUrlReady(url: string, timeoutMs = 2_000): ReadinessCheck {
  return {
    name: "redis",
    async check() {
      const p = await probeRedis(url, timeoutMs);
      if (!p.ok) throw new Error(p.error ?? "Redis does not answer");
    },
  };
}
