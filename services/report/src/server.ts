import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Call } from "@intake/schema";
import { mountQueueDashboard } from "@intake/dashboard";
import type { Queues } from "@intake/jobs";
import { Accounts, Journal, LoginThrottle, type AccountStore, type LoginThrottleOptions } from "@intake/review";
import { html, reportLabels, type ArchiveReader, type ReceiptLocator } from "@intake/report";
import { registerAuth } from "./auth-routes.js";
import type { AckQueue, ServerContext } from "./context.js";
import { registerFiles } from "./file-routes.js";
import { registerPages, sendPage } from "./page-routes.js";
import { Previews } from "./previews.js";
import { ReportCache } from "./report-cache.js";
import { registerReview } from "./review-routes.js";
import { addSecurityHeaders, DASHBOARD_PATH } from "./security-headers.js";
import { SessionStore } from "./sessions.js";

export interface ReportServerOptions {
  archive: ArchiveReader;
  /** The archive's folder: the reviewers' journal lives there. */
  archiveRoot: string;
  call: Call;
  /** Where the reviewers' accounts are (the archive's, or PostgreSQL). */
  accounts: AccountStore;
  /** How long a login lasts, ms; default 8 hours. */
  sessionTtlMs?: number;
  /** Mark the session cookie Secure (serve behind HTTPS); default false. */
  secureCookie?: boolean;
  /** The TLS proxy's addresses (or CIDRs) whose X-Forwarded-For is believed; default none. */
  trustProxy?: string[];
  /** The address reviewers use, for links in the workbook; default the request's own. */
  baseUrl?: string;
  /** How often the archive is re-read, ms; default 5000 (0: on every request). */
  refreshMs?: number;
  /** The login throttle's limits. */
  throttle?: LoginThrottleOptions;
  /** Where receipts are in the archive; default the receipt log's own paths. */
  receiptLocator?: ReceiptLocator;
  /** The job queues: when given, admins get the BullMQ dashboard at /admin/queues and reviewers can send corrected receipts. */
  queues?: Pick<Queues, "queue"> & { add: AckQueue["add"] };
  logger?: Logger;
}

/** The reviewers' workbench: personal logins, the review queue, corrections into the journal. Call `listen` on the result. */
export async function buildReportServer(o: ReportServerOptions): Promise<FastifyInstance> {
  const journal = new Journal({ root: o.archiveRoot });
  const previews = new Previews({ logger: o.logger });
  const ctx: ServerContext = {
    archive: o.archive,
    call: o.call,
    labels: reportLabels(o.call),
    cache: new ReportCache(o.archive, o.call, journal, o.refreshMs ?? 5000, o.logger),
    sessions: new SessionStore({ ttlMs: o.sessionTtlMs }),
    throttle: new LoginThrottle(o.throttle),
    accounts: new Accounts(o.accounts),
    journal,
    previews,
    ackQueue: o.queues,
    secureCookie: o.secureCookie ?? false,
    baseUrl: o.baseUrl,
    receiptLocator: o.receiptLocator,
    logger: o.logger,
  };
  const app = Fastify({
    loggerInstance: o.logger as FastifyBaseLogger | undefined,
    bodyLimit: 64 * 1024,
    // Behind the TLS proxy every client has the proxy's address: believe its X-Forwarded-For, and only its.
    trustProxy: o.trustProxy?.length ? o.trustProxy : false,
  });
  await app.register(cookie);
  await app.register(formbody);
  addSecurityHeaders(app);
  registerAuth(app, ctx);
  registerPages(app, ctx);
  registerReview(app, ctx);
  registerFiles(app, ctx);
  // People see the call's Chinese, never the framework's English JSON.
  app.setNotFoundHandler((req, reply) => sendPage(ctx, req, reply, "未找到", html`<p class="empty">没有这个页面。<a href="/">返回列表</a></p>`, 404));
  app.setErrorHandler((err: { statusCode?: number }, req, reply) => {
    const code = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (code === 500) ctx.logger?.error({ err, url: req.url }, "report request failed");
    const text = code === 413 ? "提交的内容过长。" : code < 500 ? "请求无法处理，请返回后重试。" : "服务器出错，请稍后重试；如一再出现，请联系管理员。";
    return sendPage(ctx, req, reply, "出错了", html`<p class="error">${text}</p><p><a href="/">返回列表</a></p>`, code);
  });
  // Registered after the login guard, which covers every route of the server (and keeps the dashboard to admins).
  if (o.queues) await mountQueueDashboard(app, { queues: o.queues, basePath: DASHBOARD_PATH });
  app.addHook("onReady", async () => {
    previews.start();
    // The archive is read once at start, in the background: the first reviewer finds the list ready.
    if (o.refreshMs !== 0) void ctx.cache.get().catch((err: unknown) => ctx.logger?.warn({ err }, "report load at start failed"));
  });
  app.addHook("onClose", () => previews.close());
  return app;
}
