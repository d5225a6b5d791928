import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Call } from "@intake/schema";
import { mountQueueDashboard, type Queues } from "@intake/pipeline";
import { reportLabels, type ArchiveReader, type ReceiptLocator } from "@intake/report";
import { registerAuth } from "./auth-routes.js";
import type { ServerContext } from "./context.js";
import { registerFiles } from "./file-routes.js";
import { LoginThrottle } from "./login-throttle.js";
import { registerPages } from "./page-routes.js";
import { ReportCache } from "./report-cache.js";
import { addSecurityHeaders, DASHBOARD_PATH } from "./security-headers.js";
import { SessionStore } from "./sessions.js";

export interface ReportServerOptions {
  archive: ArchiveReader;
  call: Call;
  /** The reviewers' shared password (required, non-empty). */
  password: string;
  /** How long a login lasts, ms; default 8 hours. */
  sessionTtlMs?: number;
  /** Mark the session cookie Secure (serve behind HTTPS); default false. */
  secureCookie?: boolean;
  /** How often the archive is re-read, ms; default 5000. */
  refreshMs?: number;
  /** Failed logins per address per 15 minutes before refusing; default 10. */
  loginAttempts?: number;
  /** Where receipts are in the archive; default acks/<key>.json and outbox/<key>.eml. */
  receiptLocator?: ReceiptLocator;
  /** The job queues: when given, the BullMQ dashboard is served at /admin/queues behind the same login. */
  queues?: Pick<Queues, "queue">;
  logger?: Logger;
}

/** The reviewers' web view: read-only, behind a password. Call `listen` on the result. */
export async function buildReportServer(o: ReportServerOptions): Promise<FastifyInstance> {
  if (!o.password) throw new Error("the report's password is empty");
  const ctx: ServerContext = {
    archive: o.archive,
    labels: reportLabels(o.call),
    cache: new ReportCache(o.archive, o.refreshMs ?? 5000, o.logger),
    sessions: new SessionStore({ ttlMs: o.sessionTtlMs }),
    throttle: new LoginThrottle(o.loginAttempts ?? 10),
    password: o.password,
    secureCookie: o.secureCookie ?? false,
    receiptLocator: o.receiptLocator,
    logger: o.logger,
  };
  const app = Fastify({ loggerInstance: o.logger as FastifyBaseLogger | undefined, bodyLimit: 16 * 1024 });
  await app.register(cookie);
  await app.register(formbody);
  addSecurityHeaders(app);
  registerAuth(app, ctx);
  registerPages(app, ctx);
  registerFiles(app, ctx);
  // Registered after the login guard, which covers every route of the server.
  if (o.queues) await mountQueueDashboard(app, { queues: o.queues, basePath: DASHBOARD_PATH });
  return app;
}
