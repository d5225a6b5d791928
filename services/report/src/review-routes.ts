import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { DecisionAbout, parseFieldText, ReviewStateCode, VersionAfter } from "@intake/review";
import { FIELD_KEYS, FlagCode } from "@intake/schema";
import { html, type SubmissionRow } from "@intake/report";
import type { ServerContext } from "./context.js";
import { receiptDue, sendPage } from "./page-routes.js";

type Body = Record<string, unknown>;

// The page shows mechanisms and project types by their names; the record keeps the call's ids.
function idsOf(ctx: ServerContext, key: string, v: ReturnType<typeof parseFieldText>): ReturnType<typeof parseFieldText> {
  const norm = (x: string) => x.normalize("NFKC").replace(/\s+/g, "");
  if (key === "project.mechanism" && typeof v === "string") {
    const m = ctx.call.mechanisms.find((x) => [x.id, x.name, ...x.aliases].some((n) => norm(n) === norm(v)));
    return m ? m.id : undefined;
  }
  if (key === "project.types" && Array.isArray(v)) {
    const ids = (v as string[]).map((t) => ctx.call.projectTypes.find((x) => [x.id, x.label, ...x.aliases].some((n) => norm(n) === norm(t)))?.id);
    return ids.every((x): x is string => !!x) ? ids : undefined;
  }
  return v;
}
const text = (b: Body, k: string, max = 2000) => (typeof b[k] === "string" ? (b[k] as string).trim().slice(0, max) : "");

/**
 * What reviewers do: set the review state, confirm or override a judgment,
 * correct a field, uphold or withdraw a flag, accept or reject a version held
 * for review (another sender's), send a corrected receipt. Each
 * is one journal entry (who, when, before, after, why); the machine's record
 * is never written.
 */
export function registerReview(app: FastifyInstance, ctx: ServerContext): void {
  const rowOf = async (id: string) => (await ctx.cache.get()).rows.find((r) => r.id === id);
  const back = (reply: FastifyReply, r: SubmissionRow, anchor = "") => reply.redirect(`/s/${r.id}${anchor}`, 303);
  const refuse = (req: FastifyRequest, reply: FastifyReply, r: SubmissionRow | undefined, why: string) =>
    sendPage(ctx, req, reply, "无法保存", html`<p class="error">${why}</p>${r ? html`<p><a href="/s/${r.id}">返回申报页面</a></p>` : html`<p><a href="/">返回列表</a></p>`}`, r ? 400 : 404);
  const append = (req: FastifyRequest, r: SubmissionRow, target: Parameters<typeof ctx.journal.append>[0]["target"], before: unknown, after: unknown, why: string) =>
    ctx.journal.append({ by: req.session!.user, byName: req.session!.displayName, messageKey: r.messageKey, submission: r.index, target, before, after, why });

  app.post<{ Params: { id: string } }>("/s/:id/state", async (req, reply) => {
    const r = await rowOf(req.params.id);
    const b = (req.body ?? {}) as Body;
    const state = ReviewStateCode.safeParse(b.state);
    if (!r || !state.success) return refuse(req, reply, r, "请选择核对结论。");
    const note = text(b, "note");
    await append(req, r, { kind: "state" }, r.reviewed.state.state === "pending" && !r.reviewed.state.by ? null : { state: r.reviewed.state.state, note: r.reviewed.state.note }, { state: state.data, note }, note);
    return back(reply, r, "#review");
  });

  app.post<{ Params: { id: string } }>("/s/:id/decision", async (req, reply) => {
    const r = await rowOf(req.params.id);
    const b = (req.body ?? {}) as Body;
    const about = DecisionAbout.safeParse(b.about);
    const outcome = b.outcome === "found" || b.outcome === "not-found" ? b.outcome : null;
    const why = text(b, "why", 500);
    if (!r || !about.success || !outcome) return refuse(req, reply, r, "请选择核对结论。");
    if (!why) return refuse(req, reply, r, "请填写理由。");
    const d = r.decisions[about.data];
    await append(req, r, { kind: "decision", about: about.data }, d ? { outcome: d.outcome, confidence: d.confidence, reason: d.reason } : null, { outcome }, why);
    return back(reply, r, `#d-${about.data}`);
  });

  app.post<{ Params: { id: string } }>("/s/:id/field", async (req, reply) => {
    const r = await rowOf(req.params.id);
    const b = (req.body ?? {}) as Body;
    const key = text(b, "key", 64);
    const why = text(b, "why", 500);
    if (!r || !(FIELD_KEYS as readonly string[]).includes(key)) return refuse(req, reply, r, "没有这个栏目。");
    if (!why) return refuse(req, reply, r, "请填写理由。");
    const value = idsOf(ctx, key, parseFieldText(key, text(b, "value", 20_000)));
    if (value === undefined) return refuse(req, reply, r, `“${ctx.labels.field(key)}”的值无法识别，请按表中格式填写。`);
    await append(req, r, { kind: "field", key }, r.fields[key as keyof typeof r.fields], value, why);
    return back(reply, r);
  });

  app.post<{ Params: { id: string } }>("/s/:id/flag", async (req, reply) => {
    const r = await rowOf(req.params.id);
    const b = (req.body ?? {}) as Body;
    const key = text(b, "key", 128);
    const why = text(b, "why", 500);
    const code = FlagCode.safeParse(key.split(":")[0]);
    if (!r || !code.success) return refuse(req, reply, r, "没有这个问题。");
    if (!why) return refuse(req, reply, r, "请填写理由。");
    const stands = b.stands === "1";
    await append(req, r, { kind: "flag", key }, r.flags.includes(key), stands, why);
    return back(reply, r);
  });

  app.post<{ Params: { id: string } }>("/s/:id/version", async (req, reply) => {
    const r = await rowOf(req.params.id);
    const b = (req.body ?? {}) as Body;
    const decision = VersionAfter.safeParse({ decision: b.decision });
    const why = text(b, "why", 500);
    const held = r?.record.submissions[r.index]?.heldVersion;
    if (!r || !held) return refuse(req, reply, r, "这项申报不是待确认的其他发件人版本。");
    if (!decision.success) return refuse(req, reply, r, "请选择核对结论。");
    if (!why) return refuse(req, reply, r, "请填写理由。");
    await append(req, r, { kind: "version" }, held.decision ? { decision: held.decision } : null, decision.data, why);
    return back(reply, r, "#version");
  });

  app.post<{ Params: { id: string } }>("/s/:id/receipt", async (req, reply) => {
    const r = await rowOf(req.params.id);
    if (!r) return refuse(req, reply, r, "没有这项申报。");
    if (!ctx.ackQueue) return refuse(req, reply, r, "未连接回执队列，无法发送更正回执。");
    // Once: a second click (or a stale page) finds the receipt already queued.
    if (!receiptDue(ctx, r)) return back(reply, r, "#receipt");
    const correction = randomUUID();
    const ackKey = `${r.messageKey}.correction-${correction}`;
    // Journal first: were the queue to fail, the entry still says a receipt was asked for, and the page shows it waiting.
    await append(req, r, { kind: "receipt" }, null, { ackKey }, "更正回执");
    await ctx.ackQueue.add("ack", { messageKey: r.messageKey, reason: "correction", correction });
    ctx.logger?.info({ messageKey: r.messageKey, ackKey, by: req.session!.user }, "corrected receipt queued");
    return back(reply, r, "#receipt");
  });
}
