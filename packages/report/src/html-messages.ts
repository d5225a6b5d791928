import type { MessageResult } from "@intake/schema";
import { localDateTime } from "./dates.js";
import { flagWords } from "./flag-words.js";
import { html, type SafeHtml } from "./html.js";
import type { ReportLabels } from "./labels.js";
import type { ReportLinks } from "./links.js";
import type { ProblemMessage } from "./load-report.js";
import type { MessageText } from "./message-text.js";
import { reviewNames } from "./review-words.js";

export const MESSAGE_KINDS: Record<string, string> = {
  submission: "申报邮件（未找到申报书）",
  inquiry: "咨询",
  "auto-reply": "自动回复",
  bounce: "退信",
  newsletter: "群发邮件",
  other: "其他",
};

export const PROBLEM_REASONS: Record<ProblemMessage["reason"], string> = {
  pending: "处理中（尚无处理结果）",
  unreadable: "处理结果无法读取",
  invalid: "处理结果格式不符",
};

/** Emails that hold no project form, oldest first: inquiries, bounces, a submission whose files could not be read. */
export function otherMessages(records: readonly MessageResult[]): MessageResult[] {
  return records.filter((m) => m.submissions.length === 0).sort((a, b) => (a.receivedAt ?? "").localeCompare(b.receivedAt ?? "") || a.messageKey.localeCompare(b.messageKey));
}

/**
 * Emails without a project form, and emails the report has no usable record
 * of (still in the pipeline, or a record it cannot read): listed and counted,
 * so none goes unseen.
 */
export function renderOtherMessages(records: readonly MessageResult[], labels: ReportLabels, links: ReportLinks, problems: readonly ProblemMessage[] = [], paging?: { page: number; perPage: number }): SafeHtml {
  const all = otherMessages(records);
  const perPage = paging?.perPage ?? Math.max(1, all.length);
  const pages = Math.max(1, Math.ceil(all.length / perPage));
  const page = Math.min(Math.max(1, paging?.page ?? 1), pages);
  const others = all.slice((page - 1) * perPage, page * perPage);
  const pager = pages > 1 && links.listWith
    ? html`<nav class="pager" aria-label="分页">${page > 1 ? html`<a href="${links.listWith({ opage: String(page - 1) })}#others">‹ 上一页</a>` : ""}<span>第 ${page} / ${pages} 页</span>${page < pages ? html`<a href="${links.listWith({ opage: String(page + 1) })}#others">下一页 ›</a>` : ""}</nav>`
    : "";
  const tz = labels.timezone;
  const subjectCell = (key: string, subject: string | null | undefined) => {
    const href = links.message?.(key);
    const text = subject || "（无主题）";
    return href ? html`<a href="${href}">${text}</a>` : html`${text}`;
  };
  const eml = (key: string) => {
    const href = links.messageEml?.(key);
    return href ? html`<a href="${href}">下载</a>` : "—";
  };
  return html`${problems.length ? html`<section class="box problems"><h2>未能列入申报表的邮件（${problems.length}）</h2>
<table class="list"><thead><tr><th>收到时间</th><th>原因</th><th>发件人</th><th>主题</th><th>原始邮件</th></tr></thead><tbody>
${problems.map((p) => html`<tr><td data-label="收到时间" class="time">${localDateTime(p.head.date, tz) || "—"}</td><td data-label="原因"><span class="chip warn">${PROBLEM_REASONS[p.reason]}</span></td><td data-label="发件人">${p.head.from ?? ""}</td><td data-label="主题">${subjectCell(p.messageKey, p.head.subject)}</td><td data-label="原始邮件">${eml(p.messageKey)}</td></tr>`)}</tbody></table></section>` : ""}
${all.length ? html`<details class="others" id="others" open><summary>未含申报书的邮件（${all.length}，按收到时间）</summary>
<table class="list"><thead><tr><th>收到时间</th><th>类别</th><th>发件人</th><th>主题</th><th>问题</th><th>原始邮件</th></tr></thead><tbody>
${others.map((m) => html`<tr><td data-label="收到时间" class="time">${localDateTime(m.receivedAt, tz)}</td><td data-label="类别">${MESSAGE_KINDS[m.kind] ?? m.kind}</td><td data-label="发件人">${m.from ?? ""}</td><td data-label="主题">${subjectCell(m.messageKey, m.subject)}</td>
<td data-label="问题">${(m.messageFlags ?? []).map((f) => html`<span class="chip flag">${flagWords(f.field ? `${f.code}:${f.field}` : f.code, labels, { details: [f] })}</span>`)}${m.review?.needed ? reviewNames(m.review.reasons, labels).map((t) => html`<span class="chip warn">${t}</span>`) : ""}</td><td data-label="原始邮件">${eml(m.messageKey)}</td></tr>`)}</tbody></table>${pager}</details>` : ""}`;
}

/** One email's own page: who, when, what kind, and its text as plain text. */
export function renderMessage(m: { messageKey: string; kind?: string; receivedAt?: string | null; messageId?: string | null; reason?: ProblemMessage["reason"] }, text: MessageText | null, labels: ReportLabels, links: ReportLinks): SafeHtml {
  const eml = links.messageEml?.(m.messageKey);
  return html`<article class="message"><div class="title-line"><h2>${text?.subject || "（无主题）"}</h2>${m.kind ? html`<span class="chip">${MESSAGE_KINDS[m.kind] ?? m.kind}</span>` : ""}${m.reason ? html`<span class="chip warn">${PROBLEM_REASONS[m.reason]}</span>` : ""}</div>
<dl class="kv"><dt>发件人</dt><dd>${text?.from ?? ""}</dd><dt>收到时间</dt><dd>${localDateTime(m.receivedAt ?? text?.date, labels.timezone) || "—"}（${labels.timeZoneName}）</dd><dt>Message-ID</dt><dd>${m.messageId ?? ""}</dd>
${text?.attachments.length ? html`<dt>附件</dt><dd>${text.attachments.map((a) => `${a.name}（${Math.max(1, Math.round(a.size / 1024))} KB）`).join("\n")}</dd>` : ""}</dl>
<section class="box"><h3>邮件正文</h3>${text ? html`<pre class="mail-text">${text.text || "（正文为空）"}</pre>${text.truncated ? html`<p class="sub">正文过长，只显示前一部分；完整内容请下载原始邮件。</p>` : ""}` : html`<p class="sub">正文无法读取，请下载原始邮件查看。</p>`}
${eml ? html`<p><a href="${eml}">下载原始邮件（.eml）</a></p>` : ""}</section></article>`;
}
