import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { html, page } from "@intake/report";
import { SESSION_COOKIE, type ServerContext } from "./context.js";
import { passwordMatches } from "./password.js";

const PUBLIC = new Set(["/login", "/assets/report.css"]);

// Only a local path may be a redirect target: never another host.
function safeNext(v: unknown): string {
  return typeof v === "string" && /^\/(?![/\\])[\x21-\x7e]{0,500}$/.test(v) ? v : "/";
}

function loginPage(ctx: ServerContext, next: string, error?: string): string {
  return page({
    title: `登录 · ${ctx.labels.title}`,
    css: { link: "/assets/report.css" },
    header: html`<h1>${ctx.labels.title} · 申报材料审阅</h1>`,
    body: html`<form class="login" method="post" action="/login"><h1>审阅人员登录</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ""}
<label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="${next}"><button class="primary" type="submit">登录</button></form>`,
  }).value;
}

export function isLoggedIn(ctx: ServerContext, req: FastifyRequest): boolean {
  return ctx.sessions.valid(req.cookies[SESSION_COOKIE]);
}

/** Login, logout, and the guard that sends everyone else to the login page. */
export function registerAuth(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook("onRequest", async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split("?")[0]!;
    if (PUBLIC.has(path) || isLoggedIn(ctx, req)) return;
    if (req.method === "GET" || req.method === "HEAD") return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    return reply.code(401).type("text/plain; charset=utf-8").send("请先登录");
  });

  app.get("/login", async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    if (isLoggedIn(ctx, req)) return reply.redirect(next, 303);
    return reply.type("text/html; charset=utf-8").send(loginPage(ctx, next));
  });

  app.post("/login", async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const next = safeNext(body.next);
    const client = req.ip;
    if (ctx.throttle.blocked(client)) {
      ctx.logger?.warn({ client }, "report login refused: too many failures");
      return reply.code(429).type("text/html; charset=utf-8").send(loginPage(ctx, next, "尝试次数过多，请稍后再试。"));
    }
    const given = typeof body.password === "string" ? body.password : "";
    if (!passwordMatches(given, ctx.password)) {
      ctx.throttle.fail(client);
      ctx.logger?.info({ client }, "report login failed");
      return reply.code(401).type("text/html; charset=utf-8").send(loginPage(ctx, next, "密码不正确。"));
    }
    ctx.throttle.succeed(client);
    reply.setCookie(SESSION_COOKIE, ctx.sessions.create(), {
      httpOnly: true,
      sameSite: "strict",
      secure: ctx.secureCookie,
      path: "/",
      maxAge: ctx.sessions.ttlSeconds,
    });
    return reply.redirect(next, 303);
  });

  app.post("/logout", async (req, reply) => {
    ctx.sessions.destroy(req.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return reply.redirect("/login", 303);
  });
}
