import { FIELD_KEYS, type Decision, type MessageResult } from "@intake/schema";
import type { JournalEntry } from "@intake/review";
import { localDateTime } from "./dates.js";
import { fieldText, signoffText } from "./field-text.js";
import { flagList, flagWords, parseFlagKey } from "./flag-words.js";
import { html, type SafeHtml } from "./html.js";
import { statusChips } from "./html-list.js";
import { reviewReasonWords, rowReviewReasons } from "./review-words.js";
import { versionStanding, versionWords } from "./version-words.js";
import type { ReportLabels, ReviewStateName } from "./labels.js";
import type { CropKind, ReportLinks } from "./links.js";
import { pageMarks, scanPages, type PageMark } from "./page-marks.js";
import type { Receipt } from "./receipt.js";
import { correctionOf, flagContext, type SubmissionRow } from "./rows.js";

// The form's own sections, by key prefix.
const SECTIONS: [string, string][] = [
  ["cover.", "封面"],
  ["unit.", "一、项目申报单位基本情况"],
  ["project.", "二、项目基本情况"],
  ["basis.", "三、合作基础"],
  ["plan", "四、工作设想"],
  ["funding.", "五、经费需求"],
];

/** The web view's forms: where each one posts, with the session's CSRF token. Absent in the static file. */
export interface ReviewForms {
  csrf: string;
  /** POST target of the review state, a decision, a field, a flag or the corrected receipt. */
  action(r: SubmissionRow, what: "state" | "decision" | "field" | "flag" | "version" | "receipt"): string;
  /** Why a corrected receipt may be sent now; undefined when none is due (nothing the applicant must do changed, or it was sent). */
  receiptDue?: string;
  /** The corrected receipts already queued, with their sent-log status in words. */
  receiptStatus?: string[];
}

export interface DetailOptions {
  labels: ReportLabels;
  links: ReportLinks;
  /** Every row, for the version history. */
  all: readonly SubmissionRow[];
  /** Every record, for follow-ups. */
  records: readonly MessageResult[];
  receipts?: readonly Receipt[];
  forms?: ReviewForms;
  /** The Word form's text as read from the file (web view). */
  wordText?: SafeHtml;
}

const who = (e: { by?: string; byName?: string }) => e.byName ?? e.by ?? "";

function when(at: string | undefined, labels: ReportLabels): string {
  return at ? `${localDateTime(at, labels.timezone)}（${labels.timeZoneName}）` : "";
}

function correctedNote(c: JournalEntry | undefined, labels: ReportLabels, show: (v: unknown) => string): SafeHtml {
  if (!c) return html``;
  return html`<div class="corrected-note"><span class="chip corrected">已更正</span> ${who(c)} 于 ${when(c.at, labels)}：${show(c.before)} → <b>${show(c.after)}</b>${c.why ? html`<br><small>理由：${c.why}</small>` : ""}</div>`;
}

function csrfField(forms: ReviewForms): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${forms.csrf}">`;
}

function fieldsTable(r: SubmissionRow, o: DetailOptions): SafeHtml {
  const { labels, forms } = o;
  const flagged = new Set(r.flags.map((f) => parseFlagKey(f).field).filter(Boolean));
  const sources = r.record.submissions[r.index]?.sources ?? {};
  const show = (k: string) => (v: unknown) => {
    const t = fieldText({ ...r.fields, [k]: v ?? null } as typeof r.fields, k as (typeof FIELD_KEYS)[number], labels);
    return t === "" ? "（空）" : String(t);
  };
  return html`${SECTIONS.map(([prefix, title]) => {
    const keys = FIELD_KEYS.filter((k) => k.startsWith(prefix));
    return html`<h3>${title}</h3><table class="fields"><tbody>${keys.map((k) => {
      const v = fieldText(r.fields, k, labels);
      const src = sources[k];
      const c = correctionOf(r, `field:${k}`);
      const ocr = src?.source === "scan" && !c;
      const conf = src?.confidence !== undefined ? Math.round(src.confidence * 100) : undefined;
      const cls = [flagged.has(k) ? "flagged" : "", c ? "corrected" : "", ocr ? "ocr" : ""].filter(Boolean).join(" ");
      const ocrChip = ocr ? html` <span class="chip ocr${conf !== undefined && conf < 80 ? " low" : ""}" title="此值由扫描件识别（OCR）">OCR识别${conf !== undefined ? ` ${conf}%` : ""}${src?.page ? ` · 第${src.page}页` : ""}</span>` : "";
      const edit = forms
        ? html`<details class="edit"><summary>更正</summary><form method="post" action="${forms.action(r, "field")}">${csrfField(forms)}<input type="hidden" name="key" value="${k}"><label>更正后的值<textarea name="value" rows="${k === "plan" || k.endsWith("Details") || k === "basis.partners" ? 4 : 1}">${v}</textarea></label><label>理由<input name="why" required maxlength="500"></label><button type="submit">保存更正</button></form></details>`
        : "";
      // One line of markup: the cell keeps the value's own line breaks (pre-wrap), so none may come from the template.
      return html`<tr${cls ? html` class="${cls}"` : ""}><th>${labels.field(k)}</th><td><span class="value">${v === "" ? html`<span class="none">（未填写）</span>` : v}</span>${ocrChip}${edit}${correctedNote(c, labels, show(k))}</td></tr>`;
    })}</tbody></table>`;
  })}`;
}

const DECISION_TITLES = { signature: "负责人签字", seal: "单位公章", scanMatch: "扫描件与Word版是否为同一份" } as const;
type About = keyof typeof DECISION_TITLES;

function outcomeWords(about: About, outcome: string | undefined, hasScan: boolean): string {
  if (about === "scanMatch") return outcome === "found" ? "一致" : outcome === "not-found" ? "不一致" : "待人工核对";
  return signoffText(outcome === "found" ? true : outcome === "not-found" ? false : null, hasScan);
}

function decisionBox(r: SubmissionRow, about: About, o: DetailOptions): SafeHtml {
  const { labels, links, forms } = o;
  const d: Decision | undefined = r.decisions[about];
  const machine: Decision | undefined = r.machine.decisions?.[about];
  if (!d && !r.scan.length) return html``;
  const c = correctionOf(r, `decision:${about}`);
  const src = about === "scanMatch" ? undefined : links.crop(r, about as CropKind);
  const ev = machine?.evidence;
  const words = (v: unknown) => outcomeWords(about, typeof v === "object" && v && "outcome" in v ? String((v as { outcome: string }).outcome) : undefined, r.scan.length > 0);
  const state = d?.outcome === "undecided" ? "undecided" : d?.outcome === "not-found" ? "notfound" : "found";
  return html`<figure class="decision decision-${about} ${state}" id="d-${about}">
${src ? html`<a href="${src}" class="crop-link"><img src="${src}" alt="${DECISION_TITLES[about]}（扫描件截图）"></a>` : about !== "scanMatch" ? html`<div class="no-crop">${ev?.page ? html`无截图，${links.page ? html`<a href="#page-${ev.page}">${machine?.outcome === "found" ? "位置" : "查找范围"}见第${ev.page}页</a>` : `${machine?.outcome === "found" ? "位置" : "查找范围"}见第${ev.page}页`}` : "无截图"}</div>` : ""}
<figcaption><b>${DECISION_TITLES[about]}：${outcomeWords(about, d?.outcome, r.scan.length > 0)}</b>
${machine ? html`<br><small>机器判断：${outcomeWords(about, machine.outcome, r.scan.length > 0)}，可信度 ${Math.round(machine.confidence * 100)}%${ev?.page ? (links.page ? html`，<a href="#page-${ev.page}">第${ev.page}页</a>` : `，第${ev.page}页`) : ""}${machine.reason ? `，${labels.decisionReason(machine.reason)}` : ""}</small>` : html`<br><small>机器未作判断</small>`}
${about === "scanMatch" && (ev?.expected || ev?.actual) ? html`<dl class="compare"><dt>Word版</dt><dd>${ev?.expected ?? ""}</dd><dt>扫描件</dt><dd>${ev?.actual ?? ""}</dd></dl>` : ""}
${correctedNote(c, labels, words)}
${forms ? html`<form class="decide" method="post" action="${forms.action(r, "decision")}">${csrfField(forms)}<input type="hidden" name="about" value="${about}">
<fieldset><legend>核对结论</legend><label><input type="radio" name="outcome" value="found" required>${outcomeWords(about, "found", true)}</label><label><input type="radio" name="outcome" value="not-found">${outcomeWords(about, "not-found", true)}</label></fieldset>
<label>理由<input name="why" required maxlength="500" placeholder="${about === "scanMatch" ? "如：扫描件封面与Word版一致" : `如：${DECISION_TITLES[about]}在扫描件第${ev?.page ?? 1}页清晰可见`}"></label><button type="submit">确认</button></form>` : ""}
</figcaption></figure>`;
}

function markClass(m: PageMark): string {
  return `mark mark-${m.kind}`;
}

/** The scanned copy page by page, with what was found boxed and, where nothing was, the region searched. */
function pageViewer(r: SubmissionRow, o: DetailOptions): SafeHtml {
  const { labels, links } = o;
  if (!r.scan.length || !links.page) return html``;
  const marks = pageMarks(r, labels);
  const pages = scanPages(r, marks);
  if (!pages.length) return html``;
  return html`<section class="box viewer"><h3>扫描件逐页查看</h3>
<div class="zoom-ctl" role="group" aria-label="缩放"><input type="radio" name="zoom" id="zoom-1" checked><label for="zoom-1">适合宽度</label><input type="radio" name="zoom" id="zoom-2"><label for="zoom-2">放大 2 倍</label><input type="radio" name="zoom" id="zoom-3"><label for="zoom-3">放大 3 倍</label>
<p class="legend"><span class="key key-seal"></span>公章 <span class="key key-signature"></span>签字 <span class="key key-searched"></span>查找范围（未找到） <span class="key key-field"></span>OCR识别的栏目</p>
<div class="pages">${pages.map((n) => {
    const src = links.page!(r, n);
    const mine = marks.filter((m) => m.page === n);
    return html`<figure class="page" id="page-${n}"><div class="sheet"><img src="${src}" alt="扫描件第${n}页" loading="lazy">
<svg class="marks" viewBox="0 0 1000 1000" preserveAspectRatio="none" aria-hidden="true">${mine.map((m) => html`<rect class="${markClass(m)}" x="${(m.box.x0 * 1000).toFixed(1)}" y="${(m.box.y0 * 1000).toFixed(1)}" width="${((m.box.x1 - m.box.x0) * 1000).toFixed(1)}" height="${((m.box.y1 - m.box.y0) * 1000).toFixed(1)}" vector-effect="non-scaling-stroke"><title>${m.label}</title></rect>`)}</svg></div>
<figcaption>第${n}页${mine.length ? `：${[...new Set(mine.map((m) => m.label))].join("、")}` : ""} · <a href="${src}">原图</a></figcaption></figure>`;
  })}</div></div></section>`;
}

function flagsBox(r: SubmissionRow, o: DetailOptions): SafeHtml {
  const { labels, forms } = o;
  const ctx = flagContext(r);
  const withdrawn = r.reviewed.corrections.filter((c) => c.target.kind === "flag" && c.after === false);
  const flagForm = (key: string, uphold: boolean) =>
    forms ? html`<details class="edit inline"><summary>${uphold ? "恢复" : "不成立"}</summary><form method="post" action="${forms.action(r, "flag")}">${csrfField(forms)}<input type="hidden" name="key" value="${key}"><input type="hidden" name="stands" value="${uphold ? "1" : "0"}"><label>理由<input name="why" required maxlength="500"></label><button type="submit">确认</button></form></details>` : "";
  return html`<section class="box"><h3>问题</h3>${r.flags.length ? html`<ul class="flags">${r.flags.map((f) => {
    const c = correctionOf(r, `flag:${f}`);
    return html`<li>${flagList([f], labels, ctx).join("；")}${c ? html` <span class="chip corrected">审核人添加：${who(c)}</span>` : ""} ${flagForm(f, false)}</li>`;
  })}</ul>` : html`<p>未发现问题。</p>`}
${withdrawn.length ? html`<p class="sub">经审核不成立：</p><ul class="flags withdrawn">${withdrawn.map((c) => {
    const key = c.target.kind === "flag" ? c.target.key : "";
    return html`<li><s>${flagWords(key, labels)}</s> <span class="chip corrected">${who(c)} 于 ${when(c.at, labels)}：${c.why}</span> ${flagForm(key, true)}</li>`;
  })}</ul>` : ""}
${rowReviewReasons(r).length ? html`<p class="sub">待人工判断：</p><ul class="review-reasons">${[...new Set(rowReviewReasons(r).map((x) => reviewReasonWords(x, labels)))].map((t) => html`<li>${t}</li>`)}</ul>` : ""}</section>`;
}

/** A version held out of its project's line: what it is waiting for, the version it would replace, and the reviewer's choice. */
function versionBox(r: SubmissionRow, o: DetailOptions): SafeHtml {
  const v = versionStanding(r);
  if (!v) return html``;
  const { labels, links, forms } = o;
  const of = r.record.submissions[r.index]?.heldVersion?.of;
  const line = o.all.filter((x) => x.id !== r.id && (x.projectKey === of || x.machine.projectKey === of));
  const current = line.filter((x) => x.latest).at(-1) ?? line.at(-1);
  const decided = v.state !== "held";
  const choice = (value: "accepted" | "rejected", text: string) => html`<label><input type="radio" name="decision" value="${value}" required${v.state === value ? html` checked` : ""}>${text}</label>`;
  return html`<section class="box held-version" id="version"><h3>${v.followUp ? "补件来源待确认" : "版本替代待确认"}</h3>
<p><span class="chip ${decided ? (v.state === "accepted" ? "ok" : "old") : "warn"}">${versionWords(v, labels)}</span>${v.entry?.why ? html`<br><small>理由：${v.entry.why}</small>` : ""}</p>
${current ? html`<p class="sub">${v.followUp ? "所补充的申报" : "当前版本"}：<a href="${links.submission(current)}">${localDateTime(current.receivedAt, labels.timezone)} ${current.record.from ?? ""}</a>；本${v.followUp ? "邮件" : "版本"}发件人：${r.record.from ?? "未知"}</p>` : ""}
${forms ? html`<form class="version" method="post" action="${forms.action(r, "version")}">${csrfField(forms)}<fieldset><legend>${decided ? "更改结论" : "核对结论"}</legend>${choice("accepted", v.followUp ? "并入原申报（以本邮件材料为准）" : "替代此前版本（以本版本为准）")}${choice("rejected", v.followUp ? "不并入，原申报不变" : "不替代，当前版本不变")}</fieldset>
<label>理由<input name="why" required maxlength="500" placeholder="如：已电话确认为同一单位的经办人"></label><button class="primary" type="submit">确认</button></form>` : ""}
</section>`;
}

const STATES: ReviewStateName[] = ["checked", "needs-documents", "rejected", "pending"];

function reviewBox(r: SubmissionRow, o: DetailOptions): SafeHtml {
  const { labels, forms } = o;
  const st = r.reviewed.state;
  const history = r.reviewed.history;
  const entryWords = (e: JournalEntry): string => {
    const t = e.target;
    if (t.kind === "state") return `核对状态设为“${labels.reviewState(((e.after as { state?: ReviewStateName })?.state ?? "pending") as ReviewStateName)}”`;
    if (t.kind === "decision") return `${DECISION_TITLES[t.about]}：${outcomeWords(t.about, (e.before as { outcome?: string } | null)?.outcome, true)} → ${outcomeWords(t.about, (e.after as { outcome?: string })?.outcome, true)}`;
    if (t.kind === "field") return `更正“${labels.field(t.key)}”`;
    if (t.kind === "flag") return `${e.after ? "确认问题" : "问题不成立"}：${flagWords(t.key, labels)}`;
    if (t.kind === "version") return (e.after as { decision?: string } | null)?.decision === "accepted" ? "确认其他发件人的版本替代此前版本" : "确认其他发件人的版本不替代当前版本";
    return "发送更正回执";
  };
  return html`<section class="box review" id="review"><h3>核对</h3>
<p><span class="chip state">${labels.reviewState(st.state)}</span>${st.by ? html` ${who(st)} 于 ${when(st.at, labels)}` : ""}${st.note ? html`<br>意见：${st.note}` : ""}</p>
${forms ? html`<form class="state" method="post" action="${forms.action(r, "state")}">${csrfField(forms)}<fieldset><legend>核对结论</legend>${STATES.map((s) => html`<label><input type="radio" name="state" value="${s}"${s === st.state ? html` checked` : ""}>${labels.reviewState(s)}</label>`)}</fieldset>
<label>意见<textarea name="note" rows="2" maxlength="2000">${st.note}</textarea></label><button class="primary" type="submit">保存核对结论</button></form>` : ""}
${history.length ? html`<h4>核对记录</h4><ol class="history">${history.map((e) => html`<li><b>${who(e)}</b> ${when(e.at, labels)}：${entryWords(e)}${e.why ? html`（${e.why}）` : ""}</li>`)}</ol>` : ""}
</section>`;
}

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
    const href = row ? links.submission(row) : links.message?.(m.messageKey);
    return href ? html`<a href="${href}">${text}</a>` : html`${text}`;
  };
  return html`<table class="list"><thead><tr><th>版本</th><th>收到时间</th><th>问题</th><th></th></tr></thead><tbody>
${versions.map((v) => html`<tr><td data-label="版本">第${v.version}版</td><td data-label="收到时间" class="time">${localDateTime(v.receivedAt, labels.timezone)}</td><td data-label="问题">${v.flags.length ? flagList(v.flags, labels, flagContext(v)).map((t) => html`<span class="chip flag">${t}</span>`) : "无"}</td>
<td>${v.id === r.id ? html`<b>本页</b>` : html`<a href="${links.submission(v)}">查看</a>`}${v.latest ? html` <span class="chip ok">最新</span>` : ""}</td></tr>`)}</tbody></table>
${follows ? html`<p>本邮件是对以下邮件的补充：${msgLine(follows)}</p>` : ""}
${followUps.length ? html`<p>后续补充邮件：</p><ul>${followUps.map((m) => html`<li>${msgLine(m)}${heldFollowUp(m, o) ? html` <span class="chip warn">${heldFollowUp(m, o)}</span>` : ""}</li>`)}</ul>` : ""}`;
}

/** How a follow-up held for review stands, in words (as its own page says); undefined when it was not held. */
function heldFollowUp(m: MessageResult, o: DetailOptions): string | undefined {
  const row = o.all.find((x) => x.messageKey === m.messageKey && versionStanding(x));
  const v = row && versionStanding(row);
  return v ? versionWords(v, o.labels) : undefined;
}

const RECEIPT_REASONS: Record<string, string> = { new: "首次回执", update: "更新回执（补充材料后）", resend: "重发", correction: "更正回执" };
const RECEIPT_STATUS: Record<string, string> = { sent: "已发送", sending: "发送中", failed: "发送失败", suppressed: "按规则未发送" };
const SUPPRESSED_WHY: Record<string, string> = {
  "auto-reply": "来信为自动回复", bounce: "来信为退信", "mailing-list": "来信为群发邮件", "no-valid-from": "发件人地址无效",
  "from-machine-sender": "发件人为系统地址", "from-own-mailbox": "发件人为本项目邮箱", "rate-limited": "同一收件人回执过多，稍后发送",
};

function receiptBox(o: DetailOptions, r: SubmissionRow): SafeHtml {
  const { labels, forms } = o;
  const rcs = o.receipts ?? [];
  const rows = rcs.map((rc, i) => {
    const e = rc.info;
    const str = (k: string) => (typeof e[k] === "string" ? (e[k] as string) : undefined);
    const status = str("status");
    const why = str("why");
    const eml = rc.emlPath ? o.links.receiptEml(r.messageKey, i) : undefined;
    return html`<dl class="kv"><dt>回执</dt><dd>${RECEIPT_REASONS[str("reason") ?? "new"] ?? "回执"}</dd><dt>状态</dt><dd>${status ? (RECEIPT_STATUS[status] ?? "未知") : "未知"}${status === "suppressed" && why ? `（${SUPPRESSED_WHY[why] ?? "按规则不发送"}）` : ""}${status === "failed" ? "（邮件服务器拒收，请核对收件地址）" : ""}</dd>
<dt>收件人</dt><dd>${str("to") ?? "—"}</dd><dt>受理编号</dt><dd>${str("reference") ?? r.reference}</dd>${str("sentAt") ? html`<dt>发送时间</dt><dd>${when(str("sentAt"), labels)}</dd>` : ""}${str("subject") ? html`<dt>主题</dt><dd>${str("subject")}</dd>` : ""}</dl>${eml ? html`<p><a href="${eml}">下载回执邮件（.eml）</a></p>` : ""}`;
  });
  return html`<section class="box" id="receipt"><h3>回执</h3><p class="sub">受理编号：<b class="ref">${r.reference}</b></p>${rows.length ? rows : html`<p class="sub">尚未发送回执。</p>`}
${forms?.receiptStatus?.length ? html`<p>更正回执：${forms.receiptStatus.join("；")}</p>` : ""}
${forms?.receiptDue ? html`<form method="post" action="${forms.action(r, "receipt")}" class="send-receipt">${csrfField(forms)}<p>${forms.receiptDue}</p><button class="primary" type="submit">发送更正回执</button></form>` : ""}
</section>`;
}

/** One submission's page body: state and review, flags, the evidence beside each judgment, the pages, every field, files, versions, receipt. */
export function renderDetail(r: SubmissionRow, o: DetailOptions): SafeHtml {
  const { labels, links } = o;
  const m = r.record;
  return html`<article class="submission" id="s-${r.id}">
<div class="title-line"><h2>${r.project ?? "（项目名称未识别）"}</h2><span class="chip">${labels.mechanism(r.mechanism)}</span>${statusChips(r, labels)}</div>
<p class="sub">${r.unit ?? "（单位未识别）"} · 收到于 ${localDateTime(r.receivedAt, labels.timezone) || "时间未知"}（${labels.timeZoneName}）· 受理编号 <span class="ref">${r.reference}</span>${r.versionIds.length > 1 ? ` · 第${r.version}版（共${r.versionIds.length}版）` : ""}</p>
${reviewBox(r, o)}
${versionBox(r, o)}
${flagsBox(r, o)}
<section class="box"><h3>签字盖章与一致性（扫描件）</h3><div class="evidence">${decisionBox(r, "signature", o)}${decisionBox(r, "seal", o)}${decisionBox(r, "scanMatch", o)}</div></section>
${pageViewer(r, o)}
<section class="box">${fieldsTable(r, o)}</section>
${o.wordText ? html`<section class="box word-text"><details><summary>Word版申报书原文</summary>${o.wordText}</details></section>` : ""}
<section class="box"><h3>文件</h3>${files(r, links)}</section>
<section class="box"><h3>版本记录</h3>${history(r, o)}</section>
${receiptBox(o, r)}
<section class="box"><h3>邮件</h3><dl class="kv"><dt>发件人</dt><dd>${m.from ?? ""}</dd><dt>主题</dt><dd>${m.subject ?? ""}</dd>
<dt>收件邮箱</dt><dd>${(m.mailboxes ?? []).join("、")}</dd><dt>Message-ID</dt><dd>${m.messageId ?? ""}</dd><dt>本邮件中的项目</dt><dd>${m.submissions.length}</dd></dl></section>
</article>`;
}
