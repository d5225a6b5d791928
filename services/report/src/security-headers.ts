import type { FastifyInstance } from "fastify";

// No script at all; styles and images only from this server; no framing.
export const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

// The queue dashboard (bull-board) is a script application served from this
// server: scripts and its API from 'self', its inline styles; nothing remote.
export const DASHBOARD_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

/** Where the queue dashboard is served, when it is. */
export const DASHBOARD_PATH = "/admin/queues";

/** Headers on every response: the page is private and renders only what the server sends. */
export function addSecurityHeaders(app: FastifyInstance): void {
  app.addHook("onSend", async (req, reply, payload) => {
    const dashboard = req.url === DASHBOARD_PATH || req.url.startsWith(`${DASHBOARD_PATH}/`);
    reply.header("Content-Security-Policy", dashboard ? DASHBOARD_CSP : CSP);
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("X-Frame-Options", "DENY");
    reply.header("Referrer-Policy", "no-referrer");
    reply.header("Cross-Origin-Resource-Policy", "same-origin");
    if (!reply.hasHeader("Cache-Control")) reply.header("Cache-Control", "no-store");
    return payload;
  });
}
