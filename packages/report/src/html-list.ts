import { COMPLETENESS, type Completeness } from "./completeness.js";
import { localDateTime } from "./dates.js";
import { GROUP_BYS, groupRows, REVIEW_STATE_NAMES, type GroupBy, type Page, type RowCounts, type RowFilter, type SortKey } from "./filters.js";
import { flagList } from "./flag-words.js";
import { html, type SafeHtml } from "./html.js";
import type { ReportLabels, ReviewStateName } from "./labels.js";
import type { ReportLinks } from "./links.js";
import { reviewNames, rowReviewReasons } from "./review-words.js";
import { flagContext, type SubmissionRow } from "./rows.js";

const GROUP_NAMES: Record<GroupBy, string> = { none: "不分组", mechanism: "合作机制", flag: "问题", unit: "申报单位", completeness: "材料情况", date: "收到日期" };
const COMPLETENESS_CLASS: Record<Completeness, string> = { complete: "ok", review: "warn", incomplete: "bad", late: "bad" };
const STATE_CLASS: Record<ReviewStateName, string> = { pending: "", checked: "ok", "needs-documents": "warn", rejected: "bad" };

export interface ListOptions {
  labels: ReportLabels;
  links: ReportLinks;
  /** The rows shown: one page of them (web) or all (static file). */
  shown: Page<SubmissionRow> | readonly SubmissionRow[];
  /** Counts over every row the filter lets through (not only this page): the cards follow the filter. */
  counts: RowCounts;
  /** Per review state, over the rows the other filters let through (the tabs). */
  stateCounts?: Map<ReviewStateName, number>;
  /** Every flag code present, for the filter's list. */
  flagCodes?: readonly string[];
  groupBy?: GroupBy;
  /** Present in the web view: renders the filter form with these values. */
  filter?: RowFilter;
  sort?: { key: SortKey; dir: "asc" | "desc" };
  /** Extra links beside the filter button (downloads). */
  actions?: SafeHtml;
}

export function completenessChip(r: SubmissionRow, labels: ReportLabels): SafeHtml {
  return html`<span class="chip ${COMPLETENESS_CLASS[r.completeness]}">${labels.completeness(r.completeness)}</span>`;
}

export function stateChip(r: SubmissionRow, labels: ReportLabels): SafeHtml {
  return html`<span class="chip state ${STATE_CLASS[r.reviewed.state.state]}">${labels.reviewState(r.reviewed.state.state)}</span>`;
}

export function statusChips(r: SubmissionRow, labels: ReportLabels): SafeHtml {
  return html`${completenessChip(r, labels)} ${stateChip(r, labels)}${r.review.needed ? html` <span class="chip warn">待人工判断</span>` : ""}${r.reviewed.corrections.length ? html` <span class="chip corrected">已更正</span>` : ""}${r.latest ? "" : html` <span class="chip old">已有更新版本</span>`}`;
}

const COLUMNS: { key: SortKey; title: string }[] = [
  { key: "reference", title: "受理编号" },
  { key: "received", title: "收到时间" },
  { key: "mechanism", title: "合作机制" },
  { key: "unit", title: "申报单位" },
  { key: "project", title: "项目名称" },
  { key: "completeness", title: "材料情况" },
  { key: "state", title: "核对状态" },
  { key: "flags", title: "问题" },
];

function headerCell(c: { key: SortKey; title: string }, o: ListOptions): SafeHtml {
  const s = o.sort;
  if (!o.links.listWith || !s) return html`<th scope="col">${c.title}</th>`;
  const active = s.key === c.key;
  const dir = active && s.dir === "asc" ? "desc" : "asc";
  const mark = active ? (s.dir === "asc" ? " ▲" : " ▼") : "";
  return html`<th scope="col"${active ? html` aria-sort="${s.dir === "asc" ? "ascending" : "descending"}"` : ""}><a href="${o.links.listWith({ sort: c.key, dir, page: undefined })}">${c.title}${mark}</a></th>`;
}

function table(rows: readonly SubmissionRow[], o: ListOptions): SafeHtml {
  const { labels, links } = o;
  return html`<table class="list sub-list"><thead><tr>${COLUMNS.map((c) => headerCell(c, o))}</tr></thead><tbody>
${rows.map((r) => html`<tr><td data-label="受理编号" class="ref">${r.reference}</td><td data-label="收到时间" class="time">${localDateTime(r.receivedAt, labels.timezone)}</td><td data-label="合作机制">${labels.mechanism(r.mechanism)}</td><td data-label="申报单位">${r.unit ?? "—"}</td>
<td data-label="项目名称" class="project"><a href="${links.submission(r)}">${r.project ?? "（项目名称未识别）"}</a>${r.versionIds.length > 1 ? html` <small>第${r.version}版</small>` : ""}${r.latest ? "" : html` <span class="chip old">已有更新版本</span>`}</td>
<td data-label="材料情况">${completenessChip(r, labels)}${r.review.needed ? html` <span class="chip warn">待人工判断</span><br><small class="review-why">${reviewNames(rowReviewReasons(r), labels).join("；")}</small>` : ""}</td>
<td data-label="核对状态">${stateChip(r, labels)}${r.reviewed.corrections.length ? html` <span class="chip corrected">已更正</span>` : ""}${r.reviewed.state.byName || r.reviewed.state.by ? html`<br><small>${r.reviewed.state.byName ?? r.reviewed.state.by}</small>` : ""}</td>
<td data-label="问题">${flagList(r.flags, labels, flagContext(r)).map((t) => html`<span class="chip flag">${t}</span>`)}</td></tr>
`)}</tbody></table>`;
}

function option(value: string, label: string, current: string | undefined): SafeHtml {
  return html`<option value="${value}"${current === value ? html` selected` : ""}>${label}</option>`;
}

function filterForm(o: ListOptions, f: RowFilter): SafeHtml {
  const { labels } = o;
  const codes = o.flagCodes ?? [];
  const active = !!(f.q || f.mechanism || f.flag || f.unit || f.completeness || f.from || f.to || f.latestOnly || (o.groupBy && o.groupBy !== "none"));
  return html`<form class="search" method="get" action=""><input type="hidden" name="state" value="${f.state ?? "all"}"><input type="search" name="q" value="${f.q ?? ""}" placeholder="搜索受理编号、Message-ID、邮箱、单位、项目……" aria-label="搜索"><button class="primary" type="submit">搜索</button></form>
<details class="filters-box"${active ? html` open` : ""}><summary>更多筛选与下载</summary><form class="filters" method="get" action="">
<input type="hidden" name="state" value="${f.state ?? "all"}">
<input type="hidden" name="q" value="${f.q ?? ""}">
<label>合作机制<select name="mechanism">${option("", "全部", f.mechanism)}${labels.mechanismIds.map((m) => option(m, labels.mechanism(m), f.mechanism))}${option("none", "未识别", f.mechanism)}</select></label>
<label>问题<select name="flag">${option("", "全部", f.flag)}${codes.map((c) => option(c, labels.flag(c), f.flag))}${option("none", "无问题", f.flag)}</select></label>
<label>申报单位<input type="text" name="unit" value="${f.unit ?? ""}"></label>
<label>材料情况<select name="completeness">${option("", "全部", f.completeness)}${COMPLETENESS.map((c) => option(c, labels.completeness(c), f.completeness))}</select></label>
<label>收到日期从<input type="date" name="from" value="${f.from ?? ""}"></label>
<label>到<input type="date" name="to" value="${f.to ?? ""}"></label>
<label>分组<select name="group">${GROUP_BYS.map((g) => option(g, GROUP_NAMES[g], o.groupBy ?? "none"))}</select></label>
<label class="check"><input type="checkbox" name="latest" value="1"${f.latestOnly ? html` checked` : ""}>只看最新版本</label>
<div class="actions"><button class="primary" type="submit">筛选</button><a href="?state=${f.state ?? "all"}">清除</a>${o.actions ?? ""}</div>
</form></details>`;
}

function tabs(o: ListOptions): SafeHtml {
  const { labels, links } = o;
  if (!links.listWith || !o.stateCounts) return html``;
  const current = o.filter?.state ?? "all";
  const all = [...o.stateCounts.values()].reduce((a, b) => a + b, 0);
  const tab = (value: string, text: string, n: number) =>
    html`<a class="tab${current === value ? " active" : ""}" href="${links.listWith!({ state: value, page: undefined, sort: value === "pending" ? "priority" : undefined, dir: undefined })}"${current === value ? html` aria-current="page"` : ""}>${text}<b>${n}</b></a>`;
  return html`<nav class="tabs" aria-label="核对状态">${REVIEW_STATE_NAMES.map((s) => tab(s, s === "pending" ? `${labels.reviewState(s)}（核对队列）` : labels.reviewState(s), o.stateCounts!.get(s) ?? 0))}${tab("all", "全部", all)}</nav>`;
}

function pager(p: Page<SubmissionRow>, o: ListOptions): SafeHtml {
  const to = o.links.listWith;
  if (!to || p.pages <= 1) return html`<p class="pager">共 ${p.total} 项</p>`;
  const link = (n: number, text: string) => (n < 1 || n > p.pages || n === p.page ? html`<span>${text}</span>` : html`<a href="${to({ page: String(n) })}">${text}</a>`);
  return html`<nav class="pager" aria-label="分页">${link(1, "« 首页")}${link(p.page - 1, "‹ 上一页")}<span>第 ${p.page} / ${p.pages} 页，共 ${p.total} 项</span>${link(p.page + 1, "下一页 ›")}${link(p.pages, "末页 »")}</nav>`;
}

/** The list page's body: tabs by review state, cards and counts of what the filter shows, the filter form (web), the table. */
export function renderList(o: ListOptions): SafeHtml {
  const { labels, links, counts } = o;
  const by = o.groupBy ?? "none";
  const chip = (param: string, value: string, text: string, n: number, cls: string) => {
    const href = links.listWith?.({ [param]: value, page: undefined });
    return href ? html`<a class="chip ${cls}" href="${href}">${text} ${n}</a>` : html`<span class="chip ${cls}">${text} ${n}</span>`;
  };
  const mechOrder = [...labels.mechanismIds, ...[...counts.byMechanism.keys()].filter((k) => !labels.mechanismIds.includes(k))];
  const paged = !Array.isArray(o.shown) ? (o.shown as Page<SubmissionRow>) : undefined;
  const rows = paged ? paged.items : (o.shown as readonly SubmissionRow[]);
  const groups = by === "none" ? new Map([["*", [...rows]]]) : groupRows(rows, by, labels.timezone);
  const card = (n: number, text: string, param?: string, value?: string) => {
    const href = param && links.listWith?.({ [param]: value, page: undefined });
    return href ? html`<a class="card" href="${href}"><b>${n}</b><span>${text}</span></a>` : html`<div class="card"><b>${n}</b><span>${text}</span></div>`;
  };
  return html`${tabs(o)}
<div class="cards">${card(counts.total, "申报（当前筛选）")}${COMPLETENESS.map((c) => card(counts.byCompleteness.get(c) ?? 0, labels.completeness(c), "completeness", c))}${card(counts.projects, "项目（按最新版本）")}</div>
<div class="counts">${mechOrder.filter((m) => counts.byMechanism.has(m)).map((m) => chip("mechanism", m || "none", labels.mechanism(m || null), counts.byMechanism.get(m)!, ""))}</div>
<div class="counts">${[...counts.byFlag].sort((a, b) => b[1] - a[1]).map(([c, n]) => chip("flag", c, labels.flag(c), n, "flag"))}</div>
${o.filter ? filterForm(o, o.filter) : ""}
${rows.length === 0 ? html`<p class="empty">没有符合条件的申报。</p>` : [...groups].map(([k, rs]) => html`${by === "none" ? "" : html`<h2 class="group-title">${groupTitle(k, by, labels)} <small>${rs.length} 项</small></h2>`}${table(rs, o)}`)}
${paged ? pager(paged, o) : ""}`;
}

function groupTitle(key: string, by: GroupBy, labels: ReportLabels): string {
  if (by === "mechanism") return labels.mechanism(key || null);
  if (by === "flag") return key ? labels.flag(key) : "无问题";
  if (by === "completeness") return labels.completeness(key as Completeness);
  if (by === "unit") return key || "（单位未识别）";
  if (by === "date") return key || "（时间未知）";
  return "";
}
