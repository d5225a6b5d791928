import type { Logger } from "pino";
import { createMetrics, type Archive, type IntakeMetrics, type Queues } from "@intake/pipeline";
import { IntakeError } from "@intake/schema";
import { startOpsServer } from "./http-server.js";
import { archiveReady, redisUrlReady } from "./readiness.js";

export interface OpsEndpointSettings {
  /** null: no endpoint. */
  port: number | null;
  host: string;
}

/**
 * INTAKE_OPS_PORT (default 9464; "off" for none) and INTAKE_OPS_HOST
 * (default 0.0.0.0): where the daemon serves /healthz, /readyz and /metrics.
 */
export function opsEndpointSettings(env: NodeJS.ProcessEnv = process.env): OpsEndpointSettings {
  const raw = (env.INTAKE_OPS_PORT ?? "").trim();
  const host = (env.INTAKE_OPS_HOST ?? "").trim() || "0.0.0.0";
  if (raw === "") return { port: 9464, host };
  if (/^(off|false|no|none)$/i.test(raw)) return { port: null, host };
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new IntakeError("CONFIG_INVALID", `invalid settings: INTAKE_OPS_PORT: expected a port number or "off", got ${JSON.stringify(raw)}`);
  }
  return { port, host };
}

export interface OpsEndpointOptions {
  settings: OpsEndpointSettings;
  archive: Archive;
  queues: Queues;
  /** Redis URL for /readyz (settings.redis.url). */
  redisUrl: string;
  logger: Logger;
}

export interface OpsEndpoint {
  metrics: IntakeMetrics;
  /** null when the endpoint is off. */
  url: string | null;
  close(): Promise<void>;
}

/**
 * The daemon's metrics and its health/metrics HTTP endpoint. The metrics are
 * made even when the endpoint is off, so handlers can be instrumented alike.
 */
export async function startOpsEndpoint(opts: OpsEndpointOptions): Promise<OpsEndpoint> {
  const metrics = createMetrics({ queues: opts.queues, archive: opts.archive, logger: opts.logger });
  if (opts.settings.port === null) return { metrics, url: null, close: async () => undefined };
  const server = await startOpsServer({
    port: opts.settings.port,
    host: opts.settings.host,
    registry: metrics.registry,
    readiness: [redisUrlReady(opts.redisUrl), archiveReady(opts.archive.root)],
    logger: opts.logger,
  });
  return { metrics, url: server.url, close: () => server.close() };
}
