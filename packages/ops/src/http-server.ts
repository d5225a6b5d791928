import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { runReadiness, type ReadinessCheck } from "./readiness.js";

export interface OpsServerOptions {
  /** TCP port; default 9464 (0: any free port). */
  port?: number;
  /** Listen address; default "127.0.0.1" (the endpoint has no login). */
  host?: string;
  /** Served at /metrics. */
  registry: Registry;
  /** What /readyz requires (Redis, archive, …); default none (ready once listening). */
  readiness?: readonly ReadinessCheck[];
  /** Per-check time limit of /readyz in ms; default 2000. */
  readinessTimeoutMs?: number;
  logger?: Logger;
}

export interface OpsServer {
  /** http://host:port of the listening server. */
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * The daemon's operations endpoint: /healthz (the process answers: restart
 * it if not), /readyz (its dependencies answer: 503 with the failing checks
 * if not) and /metrics (Prometheus text). Nothing else is served; it shows
 * counts only, never message content, so it carries no login.
 */
export async function startOpsServer(opts: OpsServerOptions): Promise<OpsServer> {
  const log = opts.logger?.child({ component: "ops-http" });
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "text/plain", "method not allowed\n");
    if (path === "/healthz") return send(200, "text/plain", "ok\n");
    if (path === "/readyz") {
      runReadiness(opts.readiness ?? [], opts.readinessTimeoutMs).then(
        (r) => send(r.ready ? 200 : 503, "application/json", JSON.stringify(r) + "\n"),
        (err: unknown) => send(503, "application/json", JSON.stringify({ ready: false, error: String(err) }) + "\n"),
      );
      return;
    }
    if (path === "/metrics") {
      opts.registry.metrics().then(
        (text) => send(200, opts.registry.contentType, text),
        (err: unknown) => {
          log?.warn({ err }, "metrics collection failed");
          send(500, "text/plain", "metrics unavailable\n");
        },
      );
      return;
    }
    send(404, "text/plain", "not found: try /healthz, /readyz, /metrics\n");
  });
  // A slow or idle client must not hold sockets open for ever.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 9464, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${addr.port}`;
  log?.info({ url }, "health and metrics endpoint listening");
  return {
    url,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
