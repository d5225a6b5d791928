// Every code the intake can write on a record has reviewer wording in the
// call, and attachment flags are worded by what happened to the file: a
// .docx named .doc was read, so it is never shown as refused.
import { describe, expect, it } from "vitest";
import { ATTACHMENT_REASONS, DECISION_REASONS, FLAG_CODES, loadCall, REVIEW_CODES, REVIEWER_ONLY_REASONS, type Flag } from "@intake/schema";
import { attachmentFlagWords, flagList, renderOtherMessages, reportLabels } from "../src/index.js";
import { reviewReasonWords } from "../src/review-words.js";
import { callPath } from "./sample-archive.js";

const call = loadCall(callPath);
const labels = reportLabels(call);
const CHINESE = /[\u4e00-\u9fff]/;

describe("reviewer wording", () => {
  it("the call names every flag, attachment reason, review reason and decision reason the schema allows", () => {
    const missing = [
      ...FLAG_CODES.filter((c) => !call.report?.flagNames[c]).map((c) => `flagNames.${c}`),
      ...ATTACHMENT_REASONS.filter((c) => !call.report?.reasonNames[c]).map((c) => `reasonNames.${c}`),
      ...REVIEW_CODES.filter((c) => !call.report?.reviewNames[c]).map((c) => `reviewNames.${c}`),
      ...DECISION_REASONS.filter((c) => !call.report?.decisionReasons[c]).map((c) => `decisionReasons.${c}`),
      ...ATTACHMENT_REASONS.filter((c) => !call.ack.reasons[c]).map((c) => `ack.reasons.${c}`),
    ];
    expect(missing).toEqual([]);
    for (const c of REVIEW_CODES) expect(labels.reviewReason(c), c).toMatch(CHINESE);
    for (const c of ATTACHMENT_REASONS) expect(labels.attachmentReason(c), c).toMatch(CHINESE);
  });

  it("words each attachment flag by its reason: read files as read, refused ones as refused", () => {
    for (const code of ["unreadable-attachment", "suspicious-attachment"] as const) {
      for (const reason of ATTACHMENT_REASONS) {
        const w = attachmentFlagWords({ code, reason, file: "申报书.doc" }, labels);
        expect(w, `${code}/${reason}`).toContain(labels.attachmentReason(reason));
        expect(w).toContain("申报书.doc");
        if (REVIEWER_ONLY_REASONS.has(reason)) expect(w, reason).not.toContain(labels.flag(code));
        else expect(w, reason).toContain(labels.flag(code));
      }
    }
    const renamed = attachmentFlagWords({ code: "suspicious-attachment", reason: "renamed", file: "申报书.doc" }, labels);
    expect(renamed).toMatch(/已按实际内容读取/);
    expect(renamed).not.toMatch(/安全原因|未处理|可疑/);
  });

  it("lists two files flagged under one code as two lines, with what active content holds", () => {
    const details: Flag[] = [
      { code: "suspicious-attachment", reason: "renamed", file: "申报书.doc" },
      { code: "suspicious-attachment", reason: "executable", file: "说明.exe" },
      { code: "suspicious-attachment", reason: "active-content", file: "扫描件.pdf", detail: `${call.ack.reasons["active-content"]}：打开时自动执行的动作（OpenAction）` },
    ];
    const lines = flagList(["suspicious-attachment"], labels, { details });
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain("可执行程序");
    expect(lines[2]).toContain("打开时自动执行的动作");
  });

  it("words message-level review reasons in Chinese, with the pipeline's Chinese detail and never an English one", () => {
    expect(reviewReasonWords({ code: "other-sender-version", detail: "发件人a@x.cn与当前版本的发件人（b@y.cn）不同；当前版本：<m1@y.cn>" }, labels)).toBe(
      `${call.report!.reviewNames["other-sender-version"]}：发件人a@x.cn与当前版本的发件人（b@y.cn）不同；当前版本：<m1@y.cn>`,
    );
    expect(reviewReasonWords({ code: "oversized", detail: "email of 99 bytes exceeds poll.maxMessageBytes" }, labels)).toBe(call.report!.reviewNames.oversized);
    expect(reviewReasonWords({ code: "sender-unverified", detail: "收件服务器验证发件域名未通过（dmarc=fail (p=reject) header.from=x.cn）" }, labels)).toContain("dmarc=fail");
    expect(reviewReasonWords({ code: "undecided", about: "seal", reason: "low-confidence" }, labels)).toBe("单位公章（识别把握不足）");
  });

  it("lists an email without a form with why a person must look", () => {
    const out = renderOtherMessages(
      [{ messageId: null, messageKey: "big", kind: "submission", ack: false, receivedAt: "2026-01-10T02:00:00Z", review: { needed: true, reasons: [{ code: "oversized", detail: "email of 99 bytes" }] }, submissions: [] }],
      labels,
      { submission: () => "", file: () => undefined, crop: () => undefined, receiptEml: () => undefined },
    ).value;
    expect(out).toContain(call.report!.reviewNames.oversized);
    expect(out).not.toContain("email of 99 bytes");
  });
});
