import type { FastifyInstance } from "fastify";
import { filterRows, html, page, readReceipts, renderCsv, renderDetail, renderList, renderOtherMessages, renderXlsx, reportColumns, REPORT_CSS, type SubmissionRow } from "@intake/report";
import type { ServerContext } from "./context.js";
import { webLinks } from "./links.js";
import { parseListQuery } from "./query.js";

function header(ctx: ServerContext): ReturnType<typeof html> {
  return html`<h1><a href="/">${ctx.labels.title} · 申报材料审阅</a></h1>
<form method="post" action="/logout"><button type="submit">退出登录</button></form>`;
}

function queryString(q: Record<string, unknown>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (typeof v === "string" && v !== "") p.set(k, v.slice(0, 200));
  const s = p.toString();
  return s ? `?${s}` : "";
}

/** The list, one page per submission, the stylesheet and the spreadsheet exports. */
export function registerPages(app: FastifyInstance, ctx: ServerContext): void {
  const { labels } = ctx;

  app.get("/assets/report.css", async (_req, reply) => {
    reply.header("Cache-Control", "public, max-age=3600");
    return reply.type("text/css; charset=utf-8").send(REPORT_CSS);
  });

  app.get("/", async (req, reply) => {
    const data = await ctx.cache.get();
    const q = req.query as Record<string, unknown>;
    const { filter, groupBy } = parseListQuery(q);
    const shown = filterRows(data.rows, filter, labels.timezone);
    const qs = queryString(q);
    const actions = html`<a href="/export/submissions.xlsx${qs}">下载Excel</a><a href="/export/submissions.csv${qs}">下载CSV</a>`;
    const links = webLinks(data.rows);
    const body = html`${renderList({ labels, links, all: data.rows, shown, groupBy, filter, actions })}${renderOtherMessages(data.records, labels, links)}`;
    return reply.type("text/html; charset=utf-8").send(page({ title: `申报列表 · ${labels.title}`, css: { link: "/assets/report.css" }, header: header(ctx), body: html`${body}<footer>共 ${data.rows.length} 项申报，显示 ${shown.length} 项</footer>` }).value);
  });

  app.get<{ Params: { id: string } }>("/s/:id", async (req, reply) => {
    const data = await ctx.cache.get();
    const row = data.rows.find((r) => r.id === req.params.id);
    if (!row) return reply.code(404).type("text/html; charset=utf-8").send(page({ title: "未找到", css: { link: "/assets/report.css" }, header: header(ctx), body: html`<p class="empty">没有这项申报。<a href="/">返回列表</a></p>` }).value);
    const receipts = await readReceipts(ctx.archive, row.messageKey, ctx.receiptLocator);
    const body = renderDetail(row, { labels, links: webLinks(data.rows), all: data.rows, records: data.records, receipts });
    return reply.type("text/html; charset=utf-8").send(page({ title: `${row.project ?? "申报"} · ${labels.title}`, css: { link: "/assets/report.css" }, header: header(ctx), body: html`<p><a href="/">← 返回列表</a></p>${body}` }).value);
  });

  const exportRows = async (q: Record<string, unknown>): Promise<SubmissionRow[]> => {
    const data = await ctx.cache.get();
    return filterRows(data.rows, parseListQuery(q).filter, labels.timezone);
  };

  app.get("/export/submissions.xlsx", async (req, reply) => {
    const rows = await exportRows(req.query as Record<string, unknown>);
    const buf = await renderXlsx(rows, reportColumns(labels), labels);
    reply.header("Content-Disposition", `attachment; filename="submissions.xlsx"`);
    return reply.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").send(buf);
  });

  app.get("/export/submissions.csv", async (req, reply) => {
    const rows = await exportRows(req.query as Record<string, unknown>);
    reply.header("Content-Disposition", `attachment; filename="submissions.csv"`);
    return reply.type("text/csv; charset=utf-8").send(renderCsv(rows, reportColumns(labels)));
  });
}
