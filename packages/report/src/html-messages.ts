import type { MessageResult } from "@intake/schema";
import { localDateTime } from "./dates.js";
import { flagWords } from "./flag-words.js";
import { html, type SafeHtml } from "./html.js";
import type { ReportLabels } from "./labels.js";
import type { ReportLinks } from "./links.js";

const KINDS: Record<string, string> = {
  submission: "申报邮件（未找到申报书）",
  inquiry: "咨询",
  "auto-reply": "自动回复",
  bounce: "退信",
  newsletter: "群发邮件",
  other: "其他",
};

/**
 * Emails that hold no project form (inquiries, bounces, a submission whose
 * files could not be read): folded away under the list so none goes unseen.
 */
export function renderOtherMessages(records: readonly MessageResult[], labels: ReportLabels, links: ReportLinks): SafeHtml {
  const others = records.filter((m) => m.submissions.length === 0);
  if (others.length === 0) return html``;
  return html`<details class="others"><summary>未含申报书的邮件（${others.length}）</summary>
<table class="list"><thead><tr><th>收到时间</th><th>类别</th><th>发件人</th><th>主题</th><th>问题</th><th>原始邮件</th></tr></thead><tbody>
${others.map((m) => {
    const eml = links.messageEml?.(m.messageKey);
    return html`<tr><td class="time">${localDateTime(m.receivedAt, labels.timezone)}</td><td>${KINDS[m.kind] ?? m.kind}</td><td>${m.from ?? ""}</td><td>${m.subject ?? ""}</td>
<td>${(m.messageFlags ?? []).map((f) => html`<span class="chip flag">${flagWords(f.field ? `${f.code}:${f.field}` : f.code, labels, [f])}</span>`)}</td><td>${eml ? html`<a href="${eml}">下载</a>` : "—"}</td></tr>`;
  })}</tbody></table></details>`;
}
