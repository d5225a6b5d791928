import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { html, page } from "@intake/report";
import { DEVICE_COOKIE, SESSION_COOKIE, type ServerContext } from "./context.js";
import { DASHBOARD_PATH } from "./security-headers.js";
import type { Session } from "./sessions.js";

const PUBLIC = new Set(["/login", "/assets/report.css"]);
const ACCOUNT_RECHECK_MS = 60_000;

declare module "fastify" {
  interface FastifyRequest {
    /** The logged-in reviewer, set by the login guard. */
    session?: Session;
  }
}

// Only a local path may be a redirect target: never another host.
function safeNext(v: unknown): string {
  return typeof v === "string" && /^\/(?![/\\])[\x21-\x7e]{0,500}$/.test(v) ? v : "/";
}

function loginPage(ctx: ServerContext, next: string, error?: string, name = ""): string {
  return page({
    title: `登录 · ${ctx.labels.title}`,
    css: { link: "/assets/report.css" },
    header: html`<h1>${ctx.labels.title} · 申报材料审阅</h1>`,
    body: html`<form class="login" method="post" action="/login"><h1>审阅人员登录</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<label for="name">账号</label><input id="name" name="name" autocomplete="username" required autofocus value="${name}">
<label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<input type="hidden" name="next" value="${next}"><button class="primary" type="submit">登录</button></form>`,
  }).value;
}

/** Whether a state-changing request comes from our own pages: the browser's Origin or Fetch-Metadata say so. */
export function sameOrigin(req: FastifyRequest): boolean {
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string") return site === "same-origin";
  const origin = req.headers.origin;
  if (typeof origin !== "string") return true;
  try {
    return new URL(origin).host === req.host;
  } catch {
    return false;
  }
}

export function forbidden(reply: FastifyReply, text = "请求被拒绝：请从审阅页面重新提交。"): FastifyReply {
  return reply.code(403).type("text/plain; charset=utf-8").send(text);
}

/** Login, logout, and the guards: everyone else to the login page, forms only from our pages, the dashboard for admins. */
export function registerAuth(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook("onRequest", async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split("?")[0]!;
    req.session = ctx.sessions.get(req.cookies[SESSION_COOKIE]);
    // Accounts are changed from the command line (another process): look again now and then.
    if (req.session && Date.now() - req.session.checkedAt > ACCOUNT_RECHECK_MS) {
      const a = await ctx.accounts.store.get(req.session.user).catch(() => null);
      if (!a || a.disabled || a.role !== req.session.role) {
        ctx.sessions.destroyUser(req.session.user);
        req.session = undefined;
      } else req.session.checkedAt = Date.now();
    }
    if (PUBLIC.has(path)) return;
    if (!req.session) {
      if (req.method === "GET" || req.method === "HEAD") return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
      return reply.code(401).type("text/plain; charset=utf-8").send("请先登录");
    }
    const dashboard = path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`);
    if (dashboard && req.session.role !== "admin") return reply.code(403).type("text/plain; charset=utf-8").send("队列管理仅限管理员");
    // The dashboard's own script sends JSON without our form token: its changes must come from this origin.
    if (req.method !== "GET" && req.method !== "HEAD" && !sameOrigin(req)) return forbidden(reply);
  });

  // Our forms carry the session's token (checked once the body is parsed).
  app.addHook("preHandler", async (req, reply) => {
    const path = req.url.split("?")[0]!;
    if (req.method !== "POST" || PUBLIC.has(path) || path.startsWith(`${DASHBOARD_PATH}/`)) return;
    const token = (req.body as Record<string, unknown> | undefined)?.csrf;
    if (!req.session || typeof token !== "string" || token !== req.session.csrf) return forbidden(reply);
  });

  app.get("/login", async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    if (req.session) return reply.redirect(next, 303);
    return reply.type("text/html; charset=utf-8").send(loginPage(ctx, next));
  });

  app.post("/login", async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    if (!sameOrigin(req)) return forbidden(reply);
    const name = typeof body.name === "string" ? body.name.trim().toLowerCase().slice(0, 64) : "";
    const password = typeof body.password === "string" ? body.password.slice(0, 1024) : "";
    const known = (await ctx.accounts.store.get(name).catch(() => null)) !== null;
    const attempt = { account: name, known, client: req.ip, device: req.cookies[DEVICE_COOKIE] };
    const verdict = ctx.throttle.check(attempt);
    if (!verdict.allowed) {
      ctx.logger?.warn({ client: req.ip, account: name, why: verdict.why }, "report login refused: too many failures");
      reply.header("Retry-After", String(verdict.retryAfterSeconds));
      const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
      return reply.code(429).type("text/html; charset=utf-8").send(loginPage(ctx, next, `尝试次数过多，请约${minutes}分钟后再试；曾在本浏览器登录过的账号不受影响。`, name));
    }
    const account = await ctx.accounts.authenticate(name, password);
    if (!account) {
      ctx.throttle.fail(attempt);
      ctx.logger?.info({ client: req.ip, account: name }, "report login failed");
      return reply.code(401).type("text/html; charset=utf-8").send(loginPage(ctx, next, "账号或密码不正确，或账号已停用。", name));
    }
    ctx.throttle.succeed(attempt);
    ctx.logger?.info({ client: req.ip, account: name }, "report login");
    const cookie = { httpOnly: true, sameSite: "strict" as const, secure: ctx.secureCookie, path: "/" };
    reply.setCookie(SESSION_COOKIE, ctx.sessions.create({ user: account.name, displayName: account.displayName ?? account.name, role: account.role }), { ...cookie, maxAge: ctx.sessions.ttlSeconds });
    reply.setCookie(DEVICE_COOKIE, ctx.throttle.deviceToken(account.name), { ...cookie, path: "/login", maxAge: 180 * 24 * 3600 });
    return reply.redirect(next, 303);
  });

  app.post("/logout", async (req, reply) => {
    ctx.sessions.destroy(req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return reply.redirect("/login", 303);
  });
}
