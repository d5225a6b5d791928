// Receipts to hostile senders: the official mailbox relays nothing of theirs,
// answers nobody it should not, and quotes nothing for a forged From.
import { describe, expect, it } from "vitest";
import { emptyFields, type MessageResult } from "@intake/schema";
import { chooseRecipient, composeAck, readOriginal } from "../src/index.js";
import { call2026 } from "./support.js";

const call = call2026();
const PHISH = "【重要通知】您的申报未通过，请于24小时内访问 https://pay.example.cn/fee 缴纳评审费500元";

function record(over: Partial<MessageResult> = {}, fields: Record<string, string> = {}, files: { word?: string; scan?: string[] } = {}): MessageResult {
  return {
    messageId: "<m@unit.example.org>",
    messageKey: "m@unit.example.org",
    kind: "submission",
    ack: true,
    submissions: [
      {
        word: files.word ?? "申报书.docx",
        scan: files.scan ?? ["扫描件.pdf"],
        fields: { ...emptyFields(), "cover.applicantUnit": "中国测试学会", "cover.projectName": "中欧青年科学家对话", ...fields },
        signoff: { signature: true, seal: true },
        flags: ["missing-field:cover.mobile"],
        flagDetails: [{ code: "missing-field", field: "cover.mobile" }],
      },
    ],
    ...over,
  };
}
const original = { messageId: "<m@unit.example.org>", subject: PHISH, from: "victim@unit.example.org", replyTo: null, references: [] };

describe("a receipt relays no instructions or links from the email", () => {
  it("withholds a project name that carries a link, and quotes no subject", () => {
    const ack = composeAck({ record: record({}, { "cover.projectName": PHISH }), original, call, reference: "R-1" })!;
    for (const out of [ack.text, ack.html, ack.subject]) {
      expect(out).not.toMatch(/https?:\/\/|pay\.example\.cn|缴纳评审费/);
    }
    expect(ack.text).toContain(call.ack.withheld);
    expect(ack.subject).toBe(`Re: ${call.title}（受理编号：R-1）`);
    // The quoted heading is never emphasised; our own headings may be.
    expect(ack.html).not.toMatch(/<strong>[^<]*(中国测试学会|名称含网址)/);
  });

  it("caps quoted names and defangs links in file names, keeping their extension", () => {
    const ack = composeAck({
      record: record({}, { "cover.projectName": "长".repeat(300) }, { word: "请访问 www.pay-fee.cn 缴费.docx", scan: ["http://evil.example/x.pdf"] }),
      original,
      call,
      reference: "R-2",
    })!;
    expect(ack.text).not.toContain("长".repeat(51));
    expect(ack.text).toContain("www[.]pay-fee[.]cn 缴费.docx");
    expect(ack.text).not.toMatch(/https?:\/\/|www\.pay|evil\.example/);
    expect(ack.text).toContain("中国测试学会");
  });

  it("quotes nothing of an email whose From failed authentication at the receiving server", () => {
    const forged = record({ senderAuth: { verdict: "fail", detail: "mx.qq.com: dmarc=fail" } }, { "cover.applicantUnit": "伪造单位" });
    const ack = composeAck({ record: forged, original, call, reference: "R-3" })!;
    expect(ack.to).toBe("victim@unit.example.org");
    for (const quoted of ["伪造单位", "中欧青年科学家对话", "申报书.docx", "扫描件.pdf", call.ack.flags["missing-field"]!.slice(0, 6)]) {
      expect(ack.text).not.toContain(quoted);
      expect(ack.html).not.toContain(quoted);
    }
    expect(ack.text).toContain("R-3");
    expect(ack.text).toContain(call.ack.unverified.slice(0, 20));
    // A pass, or nothing said, gives the ordinary receipt.
    for (const verdict of ["pass", "none"] as const) {
      expect(composeAck({ record: record({ senderAuth: { verdict } }), original, call, reference: "R" })!.text).toContain("中欧青年科学家对话");
    }
  });

  it("says a version from another sender waits for staff instead of replacing the current one", () => {
    const r = record();
    r.submissions[0]!.flags.push("resubmission");
    r.submissions[0]!.flagDetails!.push({ code: "resubmission", detail: "other sender" });
    r.submissions[0]!.review = { needed: true, reasons: [{ code: "other-sender-version" }] };
    const text = composeAck({ record: r, original, call, reference: "R" })!.text;
    expect(text).toContain(call.ack.heldVersion);
    expect(text).not.toContain(call.ack.flags["resubmission"]!);
  });

  it("says a follow-up from another sender waits, and once staff decided, what they decided", () => {
    const held = (followUpOf?: string, decision?: "accepted" | "rejected") => {
      const r = record(followUpOf ? { followUpOf } : {});
      const s = r.submissions[0]!;
      s.flags.push("resubmission");
      s.flagDetails!.push({ code: "resubmission", detail: "other sender" });
      s.heldVersion = { of: "p1", ...(decision ? { decision } : {}) };
      // A reviewer's decision settles the held reason (applyCorrections drops it).
      s.review = decision ? { needed: false, reasons: [] } : { needed: true, reasons: [{ code: followUpOf ? "other-sender-follow-up" : "other-sender-version" }] };
      return composeAck({ record: r, original, call, reference: "R", correction: !!decision })!.text;
    };
    expect(held("<form@unit.example.org>")).toContain(call.ack.heldFollowUp);
    expect(held("<form@unit.example.org>")).not.toContain(call.ack.heldVersion);
    const cases = [[undefined, "accepted", call.ack.versionAccepted], [undefined, "rejected", call.ack.versionRejected], ["<form@unit.example.org>", "accepted", call.ack.followUpAccepted], ["<form@unit.example.org>", "rejected", call.ack.followUpRejected]] as const;
    for (const [followUpOf, decision, words] of cases) {
      const text = held(followUpOf, decision);
      expect(text, `${followUpOf} ${decision}`).toContain(words);
      expect(text).not.toContain(call.ack.heldVersion);
      expect(text).not.toContain(call.ack.flags["resubmission"]!);
    }
  });
});

describe("who gets a receipt", () => {
  it("never our own mailboxes, however they are spelt", () => {
    for (const from of ["GuoYunLong+intake@cast.org.cn", "QIJIARU@CAST.ORG.CN", "guoyunlong+a+b@Cast.Org.Cn"]) {
      expect(chooseRecipient({ ...original, from }, call).to, from).toBeNull();
    }
    // A Reply-To of our own, tagged, is not taken either.
    expect(chooseRecipient({ ...original, from: "a@cast.org.cn", replyTo: "GuoYunLong+x@cast.org.cn" }, call)).toEqual({ to: "a@cast.org.cn", why: "from" });
  });

  it("2,000 From addresses: the Sender when RFC 5322 names one, else nobody", async () => {
    const froms = Array.from({ length: 2_000 }, (_, i) => `u${i}@victims.example.org`).join(", ");
    const head = (extra: string) => Buffer.from(`From: ${froms}\r\n${extra}Subject: 申报\r\nMessage-ID: <x@victims.example.org>\r\n\r\nbody`);
    const none = await readOriginal(head(""));
    expect(none.fromCount).toBeGreaterThan(1);
    expect(chooseRecipient(none, call)).toEqual({ to: null, why: "several-from-no-sender" });
    const withSender = await readOriginal(head("Sender: office@unit.example.org\r\n"));
    expect(chooseRecipient(withSender, call)).toEqual({ to: "office@unit.example.org", why: "sender" });
    // One From: Sender plays no part.
    const one = await readOriginal(Buffer.from("From: a@unit.example.org\r\nSender: b@other.example.org\r\nSubject: x\r\n\r\nbody"));
    expect(chooseRecipient(one, call)).toEqual({ to: "a@unit.example.org", why: "from" });
  });

  it("reads the sender past 90,000 junk header fields", async () => {
    const pad = Array.from({ length: 90_000 }, (_, i) => `X-Pad-${i}: v`).join("\r\n");
    const o = await readOriginal(Buffer.from(`${pad}\r\nFrom: a@unit.example.org\r\nMessage-ID: <late@unit.example.org>\r\nSubject: 申报\r\n\r\nbody`));
    expect(o.from).toBe("a@unit.example.org");
    expect(o.messageId).toBe("<late@unit.example.org>");
  });
});
