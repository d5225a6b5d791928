import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isIntakeError } from "@intake/schema";
import { composeAck, createMailer, readOriginal } from "../src/index.js";
import { call2026, corpusItems, recordOf } from "./support.js";
import { headerInjection, materials } from "../../../test/support/hostile.js";
import { startSmtpPeer, type SmtpPeer } from "./smtp-peer.js";

const call = call2026();
let peer: SmtpPeer;
beforeAll(async () => {
  peer = await startSmtpPeer();
});
afterAll(async () => {
  await peer.close();
});

async function hostileAck() {
  const item = corpusItems().find((i) => i.expected.ack)!;
  const record = { ...recordOf(item), messageKey: "hd-22" };
  const original = await readOriginal(headerInjection(await materials()).eml);
  return composeAck({ record, original, call, reference: "2026-TEST" })!;
}

describe("SMTP mailer", () => {
  it("sends to the applicant only, from the null sender, with RFC 3834 and threading headers", async () => {
    const mailer = createMailer({ mode: "smtp", smtp: { host: "127.0.0.1", port: peer.port }, from: "guoyunlong@cast.org.cn" });
    const ack = await hostileAck();
    peer.received.length = 0;
    const res = await mailer.send(ack, "hd-22");
    mailer.close();
    expect(res.messageId).toBe(ack.messageId);
    expect(peer.received).toHaveLength(1);
    const got = peer.received[0]!;
    expect(got.mailFrom).toBe("");
    expect(got.rcptTo).toEqual(["apply@cts.example.org"]);
    const head = got.raw.slice(0, got.raw.indexOf("\r\n\r\n"));
    expect(head).toMatch(/^Auto-Submitted: auto-replied$/m);
    expect(head).toMatch(/^In-Reply-To: <header-injection@cts\.example\.org>$/m);
    expect(head).toContain(`Message-ID: ${ack.messageId}`);
    expect(head).not.toMatch(/^(bcc|cc|reply-to|x-injected):/im);
    expect(head).toMatch(/^From: guoyunlong@cast\.org\.cn$/m);
  });

  it("can send from a named mailbox with it as the envelope sender", async () => {
    const mailer = createMailer({
      mode: "smtp",
      smtp: { host: "127.0.0.1", port: peer.port },
      from: "双边交流项目组 <guoyunlong@cast.org.cn>",
      nullSender: false,
    });
    peer.received.length = 0;
    await mailer.send(await hostileAck(), "k");
    mailer.close();
    expect(peer.received[0]!.mailFrom).toBe("guoyunlong@cast.org.cn");
    expect(peer.received[0]!.raw).toMatch(/^From: =\?UTF-8\?B\?[^\r\n]+<guoyunlong@cast\.org\.cn>$/m);
  });

  it("maps a 5xx refusal to SMTP_PERMANENT and a 4xx to SMTP_TEMPORARY", async () => {
    const mailer = createMailer({ mode: "smtp", smtp: { host: "127.0.0.1", port: peer.port }, from: "guoyunlong@cast.org.cn" });
    const ack = await hostileAck();
    try {
      peer.refuseRcpt = { code: 550, text: "No such user" };
      const e1 = await mailer.send(ack, "k").catch((e: unknown) => e);
      expect(isIntakeError(e1, "SMTP_PERMANENT")).toBe(true);
      expect((e1 as { permanent: boolean }).permanent).toBe(true);
      peer.refuseRcpt = { code: 451, text: "Try again later" };
      const e2 = await mailer.send(ack, "k").catch((e: unknown) => e);
      expect(isIntakeError(e2, "SMTP_TEMPORARY")).toBe(true);
      expect((e2 as { permanent: boolean }).permanent).toBe(false);
    } finally {
      peer.refuseRcpt = null;
      mailer.close();
    }
  });

  it("treats a server that is not there as temporary", async () => {
    const down = await startSmtpPeer();
    await down.close();
    const mailer = createMailer({ mode: "smtp", smtp: { host: "127.0.0.1", port: down.port, timeoutMs: 3000 }, from: "guoyunlong@cast.org.cn" });
    const e = await mailer.send(await hostileAck(), "k").catch((err: unknown) => err);
    mailer.close();
    expect(isIntakeError(e, "SMTP_TEMPORARY")).toBe(true);
  });
});

describe("outbox mailer", () => {
  it("writes the receipt as an .eml file under a safe name", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "ack-outbox-")), "outbox");
    const mailer = createMailer({ mode: "outbox", outboxDir: dir, from: "guoyunlong@cast.org.cn" });
    const ack = await hostileAck();
    const res = await mailer.send(ack, "msg-004");
    expect(res.response).toBe(join(dir, "msg-004.eml"));
    const eml = await readFile(join(dir, "msg-004.eml"), "utf8");
    expect(eml).toContain(`Message-ID: ${ack.messageId}`);
    expect(eml).toMatch(/^To: apply@cts\.example\.org$/m);
    const odd = await mailer.send(ack, "<../../etc/x@evil>");
    expect(odd.response.startsWith(dir + "/k-")).toBe(true);
  });
});
