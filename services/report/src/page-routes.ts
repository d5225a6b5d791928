import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ackDemands, ackNotes } from "@intake/ack";
import {
  countRows, filterRows, html, localDateTime, messageRef, otherMessages, page, paginate, readMessageText, readReceipts, renderCsv, renderDetail,
  renderList, renderMessage, renderOtherMessages, renderXlsx, reportColumns, REPORT_CSS, sortRows, submissionFile, wordHtml, type ReviewForms, type SafeHtml, type SubmissionRow,
} from "@intake/report";
import type { ServerContext } from "./context.js";
import { warmPages } from "./file-routes.js";
import { webLinks } from "./links.js";
import { parseListQuery } from "./query.js";
import { DASHBOARD_PATH } from "./security-headers.js";

const PER_PAGE = 50;

export function header(ctx: ServerContext, req: FastifyRequest): SafeHtml {
  const s = req.session;
  return html`<h1><a href="/">${ctx.labels.title} · 申报材料审阅</a></h1>
${s ? html`<span class="who">${s.displayName}（${s.role === "admin" ? "管理员" : "审阅人"}）</span>${s.role === "admin" ? html`<a href="${DASHBOARD_PATH}">队列管理</a>` : ""}
<form method="post" action="/logout"><input type="hidden" name="csrf" value="${s.csrf}"><button type="submit">退出登录</button></form>` : ""}`;
}

export function sendPage(ctx: ServerContext, req: FastifyRequest, reply: FastifyReply, title: string, body: SafeHtml, code = 200): FastifyReply {
  const footer = html`<footer>页面生成于 ${localDateTime(new Date().toISOString(), ctx.labels.timezone)}（${ctx.labels.timeZoneName}）</footer>`;
  return reply.code(code).type("text/html; charset=utf-8").send(page({ title: `${title} · ${ctx.labels.title}`, css: { link: "/assets/report.css" }, header: header(ctx, req), body: html`${body}${footer}` }).value);
}

/** Whether a corrected receipt is due: the corrections change what the applicant is asked, and none was queued since. */
export function receiptDue(ctx: ServerContext, r: SubmissionRow): string | undefined {
  if (!r.record.ack || r.record.kind !== "submission") return undefined;
  const machine = { ...r.record, submissions: r.record.submissions.map((s, i) => (i === r.index ? r.machine : s)) };
  // What the applicant must do, and what they were told of a version held for staff (its decision is news to them).
  const told = (m: typeof r.record) => JSON.stringify([ackDemands(m, ctx.call), ackNotes(m, ctx.call)]);
  if (told(machine) === told(r.record)) return undefined;
  const lastFix = r.reviewed.corrections.at(-1)?.at ?? "";
  if (r.reviewed.receipts.some((x) => x.entry.at >= lastFix)) return undefined;
  return "更正后，回执告知申请人的事项与已发回执不同：可向申请人发送一封更正回执（同一收件人，只发一次）。";
}

/** The list, one page per submission and per other email, the stylesheet and the spreadsheet exports. */
export function registerPages(app: FastifyInstance, ctx: ServerContext): void {
  const { labels } = ctx;

  app.get("/assets/report.css", async (_req, reply) => {
    reply.header("Cache-Control", "public, max-age=3600");
    return reply.type("text/css; charset=utf-8").send(REPORT_CSS);
  });

  app.get("/", async (req, reply) => {
    const data = await ctx.cache.get();
    const q = parseListQuery(req.query as Record<string, unknown>);
    const others = filterRows(data.rows, { ...q.filter, state: undefined }, labels.timezone);
    const shown = q.filter.state ? others.filter((r) => r.reviewed.state.state === q.filter.state) : others;
    const sorted = sortRows(shown, q.sort.key, q.sort.dir);
    const links = webLinks(data.rows, q.raw);
    const exportQs = new URLSearchParams({ ...q.raw, page: "" });
    exportQs.delete("page");
    const qs = exportQs.toString() ? `?${exportQs.toString()}` : "";
    const actions = html`<a href="/export/submissions.xlsx${qs}">下载Excel</a><a href="/export/submissions.csv${qs}">下载CSV</a>`;
    const stateCounts = countRows(others).byState;
    const body = html`${renderList({ labels, links, shown: paginate(sorted, q.page, PER_PAGE), counts: countRows(shown), stateCounts, flagCodes: [...new Set(data.rows.flatMap((r) => r.flagCodes))].sort(), groupBy: q.groupBy, filter: q.filter, sort: q.sort, actions })}
${renderOtherMessages(data.records, labels, links, data.problems, { page: Number(q.raw.opage ?? 1) || 1, perPage: PER_PAGE })}
<p class="sub">共 ${data.rows.length} 项申报，${otherMessages(data.records).length} 封未含申报书的邮件，${data.problems.length} 封邮件尚无可用的处理结果。</p>`;
    return sendPage(ctx, req, reply, "申报列表", body);
  });

  app.get<{ Params: { id: string } }>("/s/:id", async (req, reply) => {
    const data = await ctx.cache.get();
    const row = data.rows.find((r) => r.id === req.params.id);
    if (!row) return sendPage(ctx, req, reply, "未找到", html`<p class="empty">没有这项申报。<a href="/">返回列表</a></p>`, 404);
    const receipts = await readReceipts(ctx.archive, row.messageKey, ctx.receiptLocator, row.reviewed.receipts.map((x) => x.ackKey));
    const queued = row.reviewed.receipts.filter((x) => !receipts.some((rc) => rc.info.ackKey === x.ackKey)).map((x) => `已由${x.entry.byName ?? x.entry.by}于${localDateTime(x.entry.at, labels.timezone)}提交，等待发送`);
    const forms: ReviewForms = {
      csrf: req.session!.csrf,
      action: (r, what) => `/s/${r.id}/${what}`,
      receiptDue: ctx.ackQueue ? receiptDue(ctx, row) : undefined,
      receiptStatus: queued,
    };
    const links = webLinks(data.rows);
    // Pages are made while the page is sent: the images are ready (or nearly) when the browser asks.
    if (row.scan.length) void warmPages(ctx, row).catch(() => undefined);
    const wordText = row.word ? await wordPreview(ctx, row) : undefined;
    const body = renderDetail(row, { labels, links, all: data.rows, records: data.records, receipts, forms, wordText });
    return sendPage(ctx, req, reply, row.project ?? "申报", html`<p><a href="/">← 返回列表</a></p>${body}`);
  });

  app.get<{ Params: { ref: string } }>("/m/:ref", async (req, reply) => {
    const data = await ctx.cache.get();
    const rec = data.records.find((r) => messageRef(r.messageKey) === req.params.ref);
    const problem = rec ? undefined : data.problems.find((p) => messageRef(p.messageKey) === req.params.ref);
    const key = rec?.messageKey ?? problem?.messageKey;
    if (!key) return sendPage(ctx, req, reply, "未找到", html`<p class="empty">没有这封邮件。<a href="/">返回列表</a></p>`, 404);
    const text = await readMessageText(ctx.archive, key).catch((err: unknown) => {
      ctx.logger?.warn({ err, messageKey: key }, "email text unreadable");
      return null;
    });
    const body = renderMessage({ messageKey: key, kind: rec?.kind, receivedAt: rec?.receivedAt ?? problem?.head.date, messageId: rec?.messageId, reason: problem?.reason }, text, labels, webLinks(data.rows));
    return sendPage(ctx, req, reply, text?.subject ?? "邮件", html`<p><a href="/">← 返回列表</a></p>${body}`);
  });

  const exportRows = async (q: Record<string, unknown>): Promise<SubmissionRow[]> => {
    const data = await ctx.cache.get();
    const lq = parseListQuery({ state: "all", ...q });
    return sortRows(filterRows(data.rows, lq.filter, labels.timezone), lq.sort.key, lq.sort.dir);
  };
  const others = async () => {
    const data = await ctx.cache.get();
    return { records: data.records, problems: data.problems };
  };
  const baseUrl = (req: FastifyRequest) => ctx.baseUrl ?? `${req.protocol}://${req.host}`;

  app.get("/export/submissions.xlsx", async (req, reply) => {
    const rows = await exportRows(req.query as Record<string, unknown>);
    const buf = await renderXlsx(rows, reportColumns(labels, { baseUrl: baseUrl(req) }), labels, { others: await others() });
    reply.header("Content-Disposition", `attachment; filename="submissions.xlsx"`);
    return reply.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").send(buf);
  });

  app.get("/export/submissions.csv", async (req, reply) => {
    const rows = await exportRows(req.query as Record<string, unknown>);
    reply.header("Content-Disposition", `attachment; filename="submissions.csv"`);
    return reply.type("text/csv; charset=utf-8").send(renderCsv(rows, reportColumns(labels, { baseUrl: baseUrl(req) })));
  });
}

async function wordPreview(ctx: ServerContext, row: SubmissionRow): Promise<SafeHtml | undefined> {
  const f = submissionFile(row, "word");
  const att = row.record.attachments?.find((a) => a.name === row.word);
  if (!f) return undefined;
  const type = att?.type === "docx" ? "docx" : "ole";
  const doc = await ctx.previews.word(`word:${f.relPath}`, () => ctx.archive.readFile(f.relPath), f.name, type, ctx.call);
  return doc ? wordHtml(doc) : html`<p class="sub">Word文件无法显示，请下载查看。</p>`;
}
