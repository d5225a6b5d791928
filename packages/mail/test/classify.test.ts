import { beforeAll, describe, expect, it } from "vitest";
import { parseMessage } from "../src/index.js";
import { b64, HEAD, mixed, realFiles, type RealFiles } from "./fixtures.js";
import { eml } from "./shared.js";

let files: RealFiles;
beforeAll(async () => {
  files = await realFiles();
});

const plain = (headers: string[], body = "您好，我下周一回来。"): Buffer =>
  eml([...headers, "Date: Mon, 05 Jan 2026 10:00:00 +0800", "Content-Type: text/plain; charset=utf-8", "", body]);

describe("classification", () => {
  it.each([
    ["Auto-Submitted", ["From: a@example.org", "Subject: Re: 通知", "Auto-Submitted: auto-replied"]],
    ["X-Autoreply", ["From: a@example.org", "Subject: Re: 通知", "X-Autoreply: yes"]],
    ["X-Auto-Response-Suppress", ["From: a@example.org", "Subject: Re: 通知", "X-Auto-Response-Suppress: All"]],
    ["Precedence: auto_reply", ["From: a@example.org", "Subject: 通知", "Precedence: auto_reply"]],
    ["a Chinese out-of-office subject", ["From: a@example.org", "Subject: 自动回复：关于征集项目的通知"]],
    ["an English out-of-office subject", ["From: a@example.org", "Subject: Automatic reply: call for projects"]],
    ["an Out of Office subject", ["From: a@example.org", "Subject: Out of Office: call for projects"]],
  ])("auto-reply by %s", async (_label, headers) => {
    const p = await parseMessage(plain(headers));
    expect(p.kind).toBe("auto-reply");
    expect(p.autoReply).toBe(true);
  });

  it("does not take Auto-Submitted: no for an auto-reply", async () => {
    const p = await parseMessage(plain(["From: a@example.org", "Subject: 请问截止时间", "Auto-Submitted: no"], "请问截止时间？"));
    expect(p.kind).toBe("inquiry");
    expect(p.autoReply).toBe(false);
  });

  it("calls a bounce that quotes a whole submission a bounce", async () => {
    const original = eml(
      mixed(HEAD, [["Content-Type: application/pdf", "Content-Transfer-Encoding: base64", 'Content-Disposition: attachment; filename="盖章版.pdf"', "", b64(files.pdf)]]),
    );
    const raw = eml([
      "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>",
      "To: guoyunlong@cast.org.cn",
      "Subject: Undelivered Mail Returned to Sender",
      "Date: Mon, 05 Jan 2026 10:00:00 +0800",
      "MIME-Version: 1.0",
      'Content-Type: multipart/report; report-type=delivery-status; boundary="r1"',
      "",
      "--r1",
      "Content-Type: text/plain",
      "",
      "Your message could not be delivered.",
      "--r1",
      "Content-Type: message/delivery-status",
      "",
      "Reporting-MTA: dns; mx.example.org",
      "",
      "Final-Recipient: rfc822; x@example.org",
      "Action: failed",
      "Status: 5.1.1",
      "",
      "--r1",
      "Content-Type: message/rfc822",
      "",
      original,
      "--r1--",
    ]);
    const p = await parseMessage(raw);
    expect(p.attachments.some((a) => a.role === "scan")).toBe(true);
    expect(p.kind).toBe("bounce");
    expect(p.autoReply).toBe(true);
  });

  it("calls a message from postmaster a bounce even without a report", async () => {
    const p = await parseMessage(plain(["From: postmaster@example.org", "Subject: 系统退信"], "投递失败"));
    expect(p.kind).toBe("bounce");
  });

  it.each([
    ["List-Unsubscribe", "List-Unsubscribe: <mailto:u@news.example.org>"],
    ["List-Id", "List-Id: <weekly.news.example.org>"],
    ["Precedence: bulk", "Precedence: bulk"],
  ])("newsletter by %s", async (_label, header) => {
    const p = await parseMessage(plain(["From: news@news.example.org", "Subject: 周报", header], "本周要闻"));
    expect(p.kind).toBe("newsletter");
    expect(p.listMail).toBe(true);
    expect(p.autoReply).toBe(false);
  });

  it("calls a person's question without attachments an inquiry", async () => {
    const p = await parseMessage(plain(["From: 王五 <wangwu@example.org>", "Subject: 请问申报截止时间"], "请问截止时间是哪天？"));
    expect(p.kind).toBe("inquiry");
  });

  it("calls a message without a sender 'other'", async () => {
    const p = await parseMessage(plain(["Subject: "], ""));
    expect(p.kind).toBe("other");
  });

  it("never throws on bytes that are not an email", async () => {
    const p = await parseMessage(Buffer.from([0, 1, 2, 255, 254, 10, 13, 10, 0]));
    expect(p.kind).toBe("other");
    expect(p.messageKey).toMatch(/^sha256-[0-9a-f]{64}$/);
  });
});
