import { describe, expect, it } from "vitest";
import { emptyFields, loadCall, type MessageResult } from "@intake/schema";
import { buildRows, renderDetail, contentDisposition, escapeHtml, filterRows, flagWords, guardCell, html, isSafeRelPath, reportLabels, submissionFile } from "../src/index.js";
import { callPath } from "./sample-archive.js";

const labels = reportLabels(loadCall(callPath));

function record(key: string, receivedAt: string, unit: string, project: string, flags: string[] = [], extra: Partial<MessageResult> = {}): MessageResult {
  return {
    messageId: `<${key}@example.org>`, messageKey: key, kind: "submission", ack: true, receivedAt,
    submissions: [{ word: "a.docx", scan: [], fields: { ...emptyFields(), "unit.name": unit, "cover.projectName": project, "project.mechanism": "china-asean" }, signoff: { signature: null, seal: null }, flags }],
    ...extra,
  };
}

describe("rows", () => {
  it("links versions of one project by arrival and marks the newest", () => {
    const rows = buildRows([
      record("b", "2026-01-10T02:00:00Z", "中国林学会", "交流营", ["resubmission"]),
      record("a", "2026-01-05T02:00:00Z", "中国林学会 ", "交流营", ["missing-seal"]),
      record("c", "2026-01-06T02:00:00Z", "另一学会", "交流营"),
    ]);
    expect(rows.map((r) => r.messageKey)).toEqual(["a", "c", "b"]);
    const [a, c, b] = rows;
    expect([a!.version, a!.latest, b!.version, b!.latest]).toEqual([1, false, 2, true]);
    expect(a!.versionIds).toEqual([a!.id, b!.id]);
    expect(c!.versionIds).toEqual([c!.id]);
    expect(a!.completeness).toBe("incomplete");
    expect(b!.completeness).toBe("complete");
  });

  it("filters by flag, mechanism, completeness, arrival date in the call's time zone, text and newest version", () => {
    const rows = buildRows([
      record("a", "2026-01-14T17:30:00Z", "甲学会", "项目一", ["missing-field:project.location"]),
      record("b", "2026-01-14T15:30:00Z", "乙学会", "项目二"),
    ]);
    const tz = labels.timezone;
    expect(filterRows(rows, { flag: "missing-field" }, tz).map((r) => r.messageKey)).toEqual(["a"]);
    expect(filterRows(rows, { flag: "none" }, tz).map((r) => r.messageKey)).toEqual(["b"]);
    // 17:30 UTC on the 14th is the 15th in Beijing.
    expect(filterRows(rows, { from: "2026-01-15" }, tz).map((r) => r.messageKey)).toEqual(["a"]);
    expect(filterRows(rows, { to: "2026-01-14" }, tz).map((r) => r.messageKey)).toEqual(["b"]);
    expect(filterRows(rows, { q: "项目二" }, tz).map((r) => r.messageKey)).toEqual(["b"]);
    expect(filterRows(rows, { unit: "甲" }, tz).map((r) => r.messageKey)).toEqual(["a"]);
    expect(filterRows(rows, { mechanism: "china-us" }, tz)).toEqual([]);
    expect(filterRows(rows, { completeness: "incomplete" }, tz).map((r) => r.messageKey)).toEqual(["a"]);
    expect(filterRows(rows, { latestOnly: true }, tz)).toHaveLength(2);
  });
});

describe("submission page", () => {
  it("shows the version history and the follow-up emails of a message", () => {
    const first = record("a", "2026-01-05T02:00:00Z", "中国林学会", "交流营", ["missing-scan"]);
    const followUp: MessageResult = { ...record("f", "2026-01-06T02:00:00Z", "", ""), submissions: [], followUpOf: first.messageId, subject: "补发扫描件" };
    const second = record("b", "2026-01-10T02:00:00Z", "中国林学会", "交流营", ["resubmission"]);
    const records = [first, followUp, second];
    const rows = buildRows(records);
    const links = { submission: (r: { id: string }) => `#${r.id}`, file: () => undefined, crop: () => undefined, receiptEml: () => undefined };
    const page = renderDetail(rows[0]!, { labels, links, all: rows, records }).value;
    expect(page).toContain("后续补充邮件");
    expect(page).toContain("补发扫描件");
    expect(page).toContain(`href="#${rows[1]!.id}"`);
    expect(page).toContain("第2版");
    const newer = renderDetail(rows[1]!, { labels, links, all: rows, records }).value;
    expect(newer).toContain("更新版本（重新提交）");
    expect(newer).toContain(`href="#${rows[0]!.id}"`);
  });

  it("marks a follow-up from another sender as waiting on the page of the email it completes, and on its own", () => {
    const first = record("a", "2026-01-05T02:00:00Z", "中国林学会", "交流营", ["missing-scan"], { from: "owner@unit.example.org" });
    const reason = { code: "other-sender-follow-up" as const, detail: "发件人stranger@x.cn与所补充邮件的发件人（owner@unit.example.org）不同" };
    const held = record("f", "2026-01-06T02:00:00Z", "中国林学会", "交流营", ["resubmission"], { followUpOf: first.messageId, from: "stranger@x.cn", subject: "补发扫描件" });
    held.submissions[0] = { ...held.submissions[0]!, projectKey: "k-held", heldVersion: { of: "k" }, review: { needed: true, reasons: [reason] } };
    first.submissions[0]!.projectKey = "k";
    const records = [first, held];
    const rows = buildRows(records);
    const links = { submission: (r: { id: string }) => `#${r.id}`, file: () => undefined, crop: () => undefined, receiptEml: () => undefined };
    const page = renderDetail(rows[0]!, { labels, links, all: rows, records }).value;
    expect(page).toContain("补件来自其他发件人，待确认是否并入原申报");
    const own = renderDetail(rows[1]!, { labels, links, all: rows, records }).value;
    expect(own).toContain("补件来源待确认");
    expect(own).toContain(`${labels.reviewReason("other-sender-follow-up")}：${reason.detail}`);
    expect(own).toContain(`href="#${rows[0]!.id}"`);
    // The static report has no forms.
    expect(own).not.toContain('name="decision"');
  });

  it("lists the message's own review reasons on its project's page, each once", () => {
    const reason = { code: "sender-unverified" as const, detail: "收件服务器验证发件域名未通过（dmarc=fail）" };
    const only = record("m", "2026-01-06T02:00:00Z", "中国林学会", "交流营", [], { review: { needed: true, reasons: [reason] } });
    const copied = record("n", "2026-01-07T02:00:00Z", "中国林学会", "研讨会", [], { review: { needed: true, reasons: [reason] } });
    copied.submissions[0]!.review = { needed: true, reasons: [reason] };
    const rows = buildRows([only, copied]);
    const links = { submission: (r: { id: string }) => `#${r.id}`, file: () => undefined, crop: () => undefined, receiptEml: () => undefined };
    const words = `${labels.reviewReason("sender-unverified")}：${reason.detail}`;
    for (const r of rows) expect(renderDetail(r, { labels, links, all: rows, records: [only, copied] }).value.split(words)).toHaveLength(2);
  });
});

describe("words", () => {
  it("names flags and fields in the form's Chinese, with the reason when there is one", () => {
    expect(flagWords("missing-field:project.location", labels)).toBe("栏目未填写：地点");
    // The call's own hint, never the checker's (English) words.
    expect(flagWords("invalid-field:unit.creditCode", labels, { details: [{ code: "invalid-field", field: "unit.creditCode", detail: "check character should be 2" }] })).toBe("栏目填写有误：统一社会信用代码（应为18位统一社会信用代码，且校验位正确）");
    expect(flagWords("country-outside-mechanism", labels, { details: [{ code: "country-outside-mechanism", detail: "印度 not in 中俄" }], fields: { ...emptyFields(), "project.mechanism": "china-russia", "project.countries": ["俄罗斯", "印度"] } })).toBe("合作国别不属于所选机制（印度不属于中俄机制的国别）");
    // 16:55 UTC on the 14th is 00:55 on the 15th in Beijing: after the deadline, and said so.
    expect(flagWords("late-submission", labels, { receivedAt: "2026-01-14T16:55:10.000Z", details: [{ code: "late-submission", detail: "received 2026-01-14T16:55:10.000Z, deadline 2026-01-15T00:00:00+08:00" }] })).toBe("截止后收到（收到于2026-01-15 00:55，截止时间2026-01-15 00:00（北京时间））");
    expect(flagWords("missing-seal", labels)).toBe("扫描件未见单位公章");
    expect(labels.field("funding.requestedAmountYuan")).toBe("申请资助经费数额（元）");
    expect(labels.mechanism("lancang-mekong")).toBe("澜湄区域");
  });
});

describe("safety", () => {
  it("escapes interpolated text, never SafeHtml made by the tag", () => {
    const evil = `<img src=x onerror="alert('x')">&`;
    expect(html`<p>${evil}</p>`.value).toBe("<p>&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;</p>");
    expect(html`<a href="${`" onclick="x`}">${html`<b>ok</b>`}</a>`.value).toBe('<a href="&quot; onclick=&quot;x"><b>ok</b></a>');
    expect(escapeHtml("`")).toBe("&#96;");
  });

  it("guards spreadsheet cells that would run as formulas, also after a separator inside the cell", () => {
    for (const s of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) expect(guardCell(s)).toBe(`'${s}`);
    expect(guardCell("北京市海淀区;=cmd|' /C calc'!A0")).toBe("北京市海淀区;'=cmd|' /C calc'!A0");
    expect(guardCell("a, +1")).toBe("a, '+1");
    expect(guardCell("010-62013138")).toBe("010-62013138");
    expect(guardCell(-5)).toBe(-5);
  });

  it("accepts only archive-relative paths that stay inside", () => {
    for (const p of ["messages/k/attachments/a.pdf", "acks/k.json"]) expect(isSafeRelPath(p)).toBe(true);
    for (const p of ["../x", "messages/../../etc/passwd", "/etc/passwd", "C:/x", "a\\..\\b", "a//b", "a/./b", "a\u0000b", ""]) expect(isSafeRelPath(p), p).toBe(false);
  });

  it("offers a file under an RFC 5987 name with an ASCII fallback and no header injection", () => {
    expect(contentDisposition("申报书 (1).docx")).toBe(`attachment; filename="_____1_.docx"; filename*=UTF-8''%E7%94%B3%E6%8A%A5%E4%B9%A6%20%281%29.docx`);
    const cd = contentDisposition('a"\r\nSet-Cookie: x=1;.pdf');
    expect(cd).not.toMatch(/[\r\n]/);
    expect(cd.split('filename="')[1]!.split('"')[0]).not.toContain('"');
  });

  it("never hands out a download path built from a hostile stored name", () => {
    const rec = record("k", "2026-01-05T02:00:00Z", "u", "p", [], { attachments: [{ name: "a.docx", stored: "../../../etc/passwd", type: "docx", size: 1 }] });
    const [row] = buildRows([rec]);
    expect(submissionFile(row!, "word")).toBeUndefined();
    expect(submissionFile(row!, "scan", 3)).toBeUndefined();
  });
});
