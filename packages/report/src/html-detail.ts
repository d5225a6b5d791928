import { FIELD_KEYS, type Decision, type MessageResult } from "@intake/schema";
import { localDateTime } from "./dates.js";
import { fieldText, signoffText } from "./field-text.js";
import { flagWords, parseFlagKey } from "./flag-words.js";
import { html, type SafeHtml } from "./html.js";
import { statusChips } from "./html-list.js";
import type { ReportLabels } from "./labels.js";
import type { CropKind, ReportLinks } from "./links.js";
import type { Receipt } from "./receipt.js";
import type { SubmissionRow } from "./rows.js";

// The form's own sections, by key prefix.
const SECTIONS: [string, string][] = [
  ["cover.", "封面"],
  ["unit.", "一、项目申报单位基本情况"],
  ["project.", "二、项目基本情况"],
  ["basis.", "三、合作基础"],
  ["plan", "四、工作设想"],
  ["funding.", "五、经费需求"],
];

export interface DetailOptions {
  labels: ReportLabels;
  links: ReportLinks;
  /** Every row, for the version history. */
  all: readonly SubmissionRow[];
  /** Every record, for follow-ups. */
  records: readonly MessageResult[];
  receipts?: readonly Receipt[];
}

function fieldsTable(r: SubmissionRow, labels: ReportLabels): SafeHtml {
  const flagged = new Set(r.flags.map((f) => parseFlagKey(f).field).filter(Boolean));
  return html`${SECTIONS.map(([prefix, title]) => {
    const keys = FIELD_KEYS.filter((k) => k.startsWith(prefix));
    return html`<h3>${title}</h3><table class="fields"><tbody>${keys.map((k) => {
      const v = fieldText(r.fields, k, labels);
      return html`<tr${flagged.has(k) ? html` class="flagged"` : ""}><th>${labels.field(k)}</th>${v === "" ? html`<td class="none">（未填写）</td>` : html`<td>${v}</td>`}</tr>`;
    })}</tbody></table>`;
  })}`;
}

function evidence(r: SubmissionRow, kind: CropKind, links: ReportLinks): SafeHtml {
  const label = kind === "seal" ? "单位公章" : "负责人签字";
  const value = kind === "seal" ? r.signoff.seal : r.signoff.signature;
  const d: Decision | undefined = r.decisions[kind];
  const src = links.crop(r, kind);
  const page = d?.evidence?.page;
  return html`<figure class="evidence-${kind}">${src ? html`<img src="${src}" alt="${label}（扫描件截图）">` : ""}
<figcaption><b>${label}：${signoffText(value, r.scan.length > 0)}</b>${d ? html` <small>可信度 ${Math.round(d.confidence * 100)}%${page ? `，第${page}页` : ""}${d.outcome === "undecided" && d.reason ? `，${undecidedWords(d.reason)}` : ""}</small>` : ""}${src ? "" : html`<br><small>无截图</small>`}</figcaption></figure>`;
}

/** Why the machine could not decide, for reviewers. */
export function undecidedWords(reason: NonNullable<Decision["reason"]>): string {
  return UNDECIDED_WORDS[reason] ?? reason;
}

const UNDECIDED_WORDS: Record<NonNullable<Decision["reason"]>, string> = {
  "read-in-full": "已完整识别",
  reviewer: "审核人判定",
  "low-confidence": "识别把握不足",
  "budget-spent": "识别工作量达到上限，未读完",
  "page-not-read": "相关页面未读取",
  "region-not-located": "未能定位签字盖章栏",
  undecodable: "页面格式无法解码",
  "engine-failed": "识别引擎出错",
  "job-failed": "处理多次失败",
  "too-little-text": "识别出的文字太少",
};

function files(r: SubmissionRow, links: ReportLinks): SafeHtml {
  const link = (href: string | undefined, text: string) => (href ? html`<a href="${href}">${text}</a>` : html`${text}`);
  return html`<ul class="files">
<li>Word版申报书：${r.word ? link(links.file(r, "word"), r.word) : html`<span class="chip bad">未收到</span>`}</li>
<li>签字盖章扫描件：${r.scan.length ? r.scan.map((s, i) => html`${i ? "、" : ""}${link(links.file(r, "scan", i), s)}`) : html`<span class="chip bad">未收到</span>`}</li>
<li>原始邮件：${link(links.file(r, "eml"), "message.eml")}</li></ul>
${r.record.attachments?.length ? html`<h3>邮件附件</h3><ul class="files">${r.record.attachments.map((a) => html`<li>${a.name} <small>${a.type}，${Math.max(1, Math.round(a.size / 1024))} KB${a.from ? `，来自 ${a.from}` : ""}</small></li>`)}</ul>` : ""}`;
}

function history(r: SubmissionRow, o: DetailOptions): SafeHtml {
  const { labels, links } = o;
  const versions = r.versionIds.map((id) => o.all.find((x) => x.id === id)).filter((x): x is SubmissionRow => !!x);
  const msgIds = new Set([r.record.messageKey, r.record.messageId].filter(Boolean));
  const followUps = o.records.filter((m) => m.followUpOf && msgIds.has(m.followUpOf));
  const follows = r.record.followUpOf ? o.records.find((m) => m.messageId === r.record.followUpOf || m.messageKey === r.record.followUpOf) : undefined;
  const msgLine = (m: MessageResult) => {
    const row = o.all.find((x) => x.messageKey === m.messageKey);
    const text = `${localDateTime(m.receivedAt, labels.timezone)} ${m.subject ?? ""}`;
    return row ? html`<a href="${links.submission(row)}">${text}</a>` : html`${text}`;
  };
  return html`<table class="list"><thead><tr><th>版本</th><th>收到时间</th><th>问题</th><th></th></tr></thead><tbody>
${versions.map((v) => html`<tr><td>第${v.version}版</td><td class="time">${localDateTime(v.receivedAt, labels.timezone)}</td><td>${v.flags.length ? v.flags.map((f) => html`<span class="chip flag">${flagWords(f, labels)}</span>`) : "无"}</td>
<td>${v.id === r.id ? html`<b>本页</b>` : html`<a href="${links.submission(v)}">查看</a>`}${v.latest ? html` <span class="chip ok">最新</span>` : ""}</td></tr>`)}</tbody></table>
${follows ? html`<p>本邮件是对以下邮件的补充：${msgLine(follows)}</p>` : ""}
${followUps.length ? html`<p>后续补充邮件：</p><ul>${followUps.map((m) => html`<li>${msgLine(m)}</li>`)}</ul>` : ""}`;
}

// The receipt log's keys in words; other keys are shown as they are.
const RECEIPT_KEYS: Record<string, string> = {
  status: "状态", reason: "原因", to: "收件人", subject: "主题", reference: "受理编号", sentAt: "发送时间",
  updatedAt: "更新时间", messageId: "回执Message-ID", attempts: "尝试次数", resends: "重发次数", why: "说明", response: "服务器答复",
};
const RECEIPT_STATUS: Record<string, string> = { sent: "已发送", sending: "发送中", failed: "发送失败", suppressed: "按规则未发送" };

function receiptBox(o: DetailOptions, messageKey: string): SafeHtml {
  const { labels } = o;
  const rcs = o.receipts ?? [];
  if (rcs.length === 0) return html`<p class="sub">未发送回执（或尚未发送）。</p>`;
  return html`${rcs.map((rc, i) => {
    const entries = Object.entries(rc.info).filter(([k, v]) => v !== null && typeof v !== "object" && k !== "ackKey" && k !== "messageKey");
    const eml = rc.emlPath ? o.links.receiptEml(messageKey, i) : undefined;
    const shown = (k: string, v: unknown) => (k === "status" ? (RECEIPT_STATUS[String(v)] ?? String(v)) : k.endsWith("At") ? localDateTime(String(v), labels.timezone) || String(v) : String(v));
    return html`<dl class="kv">${entries.map(([k, v]) => html`<dt>${RECEIPT_KEYS[k] ?? k}</dt><dd>${shown(k, v)}</dd>`)}</dl>${eml ? html`<p><a href="${eml}">下载回执邮件（.eml）</a></p>` : ""}`;
  })}`;
}

/** One submission's page body: state and flags, sign-off evidence, every field, files, versions, receipt. */
export function renderDetail(r: SubmissionRow, o: DetailOptions): SafeHtml {
  const { labels, links } = o;
  const m = r.record;
  return html`<article class="submission" id="s-${r.id}">
<div class="title-line"><h2>${r.project ?? "（项目名称未识别）"}</h2><span class="chip">${labels.mechanism(r.mechanism)}</span>${statusChips(r)}</div>
<p class="sub">${r.unit ?? "（单位未识别）"} · 收到于 ${localDateTime(r.receivedAt, labels.timezone) || "时间未知"}${r.versionIds.length > 1 ? ` · 第${r.version}版（共${r.versionIds.length}版）` : ""}</p>
<section class="box"><h3>问题</h3>${r.flags.length ? html`<ul class="flags">${r.flags.map((f) => html`<li>${flagWords(f, labels, r.flagDetails)}</li>`)}</ul>` : html`<p>未发现问题。</p>`}</section>
<section class="box"><h3>签字盖章（扫描件）</h3><div class="evidence">${evidence(r, "signature", links)}${evidence(r, "seal", links)}</div></section>
<section class="box">${fieldsTable(r, labels)}</section>
<section class="box"><h3>文件</h3>${files(r, links)}</section>
<section class="box"><h3>版本记录</h3>${history(r, o)}</section>
<section class="box"><h3>回执</h3>${receiptBox(o, r.messageKey)}</section>
<section class="box"><h3>邮件</h3><dl class="kv"><dt>发件人</dt><dd>${m.from ?? ""}</dd><dt>主题</dt><dd>${m.subject ?? ""}</dd>
<dt>收件邮箱</dt><dd>${(m.mailboxes ?? []).join("、")}</dd><dt>Message-ID</dt><dd>${m.messageId ?? ""}</dd><dt>本邮件中的项目</dt><dd>${m.submissions.length}</dd></dl></section>
</article>`;
}
