import { localDateTime } from "./dates.js";
import { countRows, GROUP_BYS, groupRows, type GroupBy, type RowFilter } from "./filters.js";
import { flagWords } from "./flag-words.js";
import { html, type SafeHtml } from "./html.js";
import type { ReportLabels } from "./labels.js";
import type { ReportLinks } from "./links.js";
import type { SubmissionRow } from "./rows.js";

const GROUP_NAMES: Record<GroupBy, string> = { none: "不分组", mechanism: "合作机制", flag: "问题", unit: "申报单位", complete: "材料是否齐全", date: "收到日期" };

export interface ListOptions {
  labels: ReportLabels;
  links: ReportLinks;
  /** All rows (counts at the top are over these). */
  all: readonly SubmissionRow[];
  /** The rows shown (after filtering). */
  shown: readonly SubmissionRow[];
  groupBy?: GroupBy;
  /** Present in the web view: renders the filter form with these values. */
  filter?: RowFilter;
  /** Extra links beside the filter button (downloads). */
  actions?: SafeHtml;
}

function groupTitle(key: string, by: GroupBy, labels: ReportLabels): string {
  if (by === "mechanism") return labels.mechanism(key || null);
  if (by === "flag") return key ? labels.flag(key) : "无问题";
  if (by === "complete") return key === "yes" ? "材料齐全" : "材料不齐全";
  if (by === "unit") return key || "（单位未识别）";
  if (by === "date") return key || "（时间未知）";
  return "";
}

export function statusChips(r: SubmissionRow): SafeHtml {
  return html`${r.complete ? html`<span class="chip ok">齐全</span>` : html`<span class="chip bad">不齐全</span>`}${r.latest ? "" : html` <span class="chip old">已有更新版本</span>`}`;
}

function table(rows: readonly SubmissionRow[], o: ListOptions): SafeHtml {
  const { labels, links } = o;
  return html`<table class="list"><thead><tr><th>收到时间</th><th>所属合作机制</th><th>申报单位</th><th>项目名称</th><th>状态</th><th>问题</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td class="time">${localDateTime(r.receivedAt, labels.timezone)}</td><td>${labels.mechanism(r.mechanism)}</td><td>${r.unit ?? "—"}</td>
<td><a href="${links.submission(r)}">${r.project ?? "（项目名称未识别）"}</a>${r.versionIds.length > 1 ? html` <small>第${r.version}版</small>` : ""}</td>
<td>${statusChips(r)}</td><td>${r.flags.map((f) => html`<span class="chip flag">${flagWords(f, labels)}</span>`)}</td></tr>
`)}</tbody></table>`;
}

function option(value: string, label: string, current: string | undefined): SafeHtml {
  return html`<option value="${value}"${current === value ? html` selected` : ""}>${label}</option>`;
}

function filterForm(o: ListOptions, f: RowFilter): SafeHtml {
  const { labels } = o;
  const codes = [...new Set(o.all.flatMap((r) => r.flagCodes))].sort();
  return html`<form class="filters" method="get" action="">
<label>搜索<input type="search" name="q" value="${f.q ?? ""}" placeholder="单位、项目、联系人……"></label>
<label>合作机制<select name="mechanism">${option("", "全部", f.mechanism)}${labels.mechanismIds.map((m) => option(m, labels.mechanism(m), f.mechanism))}${option("none", "未识别", f.mechanism)}</select></label>
<label>问题<select name="flag">${option("", "全部", f.flag)}${codes.map((c) => option(c, labels.flag(c), f.flag))}${option("none", "无问题", f.flag)}</select></label>
<label>申报单位<input type="text" name="unit" value="${f.unit ?? ""}"></label>
<label>材料<select name="complete">${option("", "全部", f.complete)}${option("yes", "齐全", f.complete)}${option("no", "不齐全", f.complete)}</select></label>
<label>收到日期从<input type="date" name="from" value="${f.from ?? ""}"></label>
<label>到<input type="date" name="to" value="${f.to ?? ""}"></label>
<label>分组<select name="group">${GROUP_BYS.map((g) => option(g, GROUP_NAMES[g], o.groupBy ?? "none"))}</select></label>
<label class="check"><input type="checkbox" name="latest" value="1"${f.latestOnly ? html` checked` : ""}>只看最新版本</label>
<div class="actions"><button class="primary" type="submit">筛选</button><a href="?">清除</a>${o.actions ?? ""}</div>
</form>`;
}

// Mechanisms in the call's order, dates in time order, the rest by size.
function orderGroups(groups: Map<string, SubmissionRow[]>, by: GroupBy, labels: ReportLabels): Map<string, SubmissionRow[]> {
  const rank = (k: string) => {
    const i = labels.mechanismIds.indexOf(k);
    return i < 0 ? labels.mechanismIds.length : i;
  };
  const entries = [...groups];
  if (by === "mechanism") entries.sort((a, b) => rank(a[0]) - rank(b[0]));
  else if (by === "date") entries.sort((a, b) => a[0].localeCompare(b[0]));
  else entries.sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  return new Map(entries);
}

/** The list page's body: counts, the filter form (web), then the table, grouped or not. */
export function renderList(o: ListOptions): SafeHtml {
  const { labels, links } = o;
  const counts = countRows(o.all);
  const by = o.groupBy ?? "none";
  const chip = (param: string, value: string, text: string, n: number, cls: string) => {
    const href = links.listWith?.(param, value);
    return href ? html`<a class="chip ${cls}" href="${href}">${text} ${n}</a>` : html`<span class="chip ${cls}">${text} ${n}</span>`;
  };
  const mechOrder = [...labels.mechanismIds, ...[...counts.byMechanism.keys()].filter((k) => !labels.mechanismIds.includes(k))];
  const groups = by === "none" ? new Map([["*", [...o.shown]]]) : orderGroups(groupRows(o.shown, by, labels.timezone), by, labels);
  return html`<div class="cards"><div class="card"><b>${counts.total}</b><span>申报</span></div>
<div class="card"><b>${counts.complete}</b><span>材料齐全</span></div><div class="card"><b>${counts.total - counts.complete}</b><span>材料不齐全</span></div>
<div class="card"><b>${o.all.filter((r) => r.latest).length}</b><span>项目（按最新版本）</span></div></div>
<div class="counts">${mechOrder.filter((m) => counts.byMechanism.has(m)).map((m) => chip("mechanism", m || "none", labels.mechanism(m || null), counts.byMechanism.get(m)!, ""))}</div>
<div class="counts">${[...counts.byFlag].sort((a, b) => b[1] - a[1]).map(([c, n]) => chip("flag", c, labels.flag(c), n, "flag"))}</div>
${o.filter ? filterForm(o, o.filter) : ""}
${o.shown.length === 0 ? html`<p class="empty">没有符合条件的申报。</p>` : [...groups].map(([k, rows]) => html`${by === "none" ? "" : html`<h2 class="group-title">${groupTitle(k, by, labels)} <small>${rows.length} 项</small></h2>`}${table(rows, o)}`)}
`;
}
