import { mkdtemp, readFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isIntakeError, type MessageResult } from "@intake/schema";
import {
  ackFailedPath,
  ackLogPath,
  ackMessageId,
  createAckHandler,
  createMailer,
  readAckLog,
  type AckLogEntry,
  type Mailer,
} from "../src/index.js";
import { call2026, corpusItems, recordOf, DirStore, type CorpusItem } from "./support.js";
import { startSmtpPeer, type SmtpPeer } from "./smtp-peer.js";

const call = call2026();
const items = corpusItems();
const submissions = items.filter((i) => i.expected.ack);
let peer: SmtpPeer;
let redis: Redis;
let store: DirStore;
let mailer: Mailer;
let prefix: string;

beforeAll(async () => {
  peer = await startSmtpPeer();
  redis = new Redis(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  mailer?.close();
  await peer.close();
  const keys = await redis.keys("test-ack:*");
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});
beforeEach(async () => {
  store = new DirStore(await mkdtemp(join(tmpdir(), "ack-archive-")));
  mailer?.close();
  mailer = createMailer({ mode: "smtp", smtp: { host: "127.0.0.1", port: peer.port, timeoutMs: 3000 }, from: "guoyunlong@cast.org.cn" });
  prefix = `test-ack:${randomUUID()}:`;
  peer.received.length = 0;
  peer.refuseRcpt = null;
});

async function add(item: CorpusItem, patch: Partial<MessageResult> = {}): Promise<string> {
  const record = { ...recordOf(item), ...patch };
  await store.addMessage(record, readFileSync(item.emlPath));
  return record.messageKey;
}

function handler(extra: Partial<Parameters<typeof createAckHandler>[0]> = {}) {
  return createAckHandler({ store, mailer, call, redis, redisPrefix: prefix, ...extra });
}

describe("ack handler", () => {
  it("sends one receipt per message, however often the job runs", async () => {
    const item = submissions.find((i) => i.expected.mailboxes.length === 2)!;
    const key = await add(item);
    const h = handler();
    // The email reached both mailboxes (one key), and the job was retried.
    const outcomes = [await h({ messageKey: key }), await h({ messageKey: key }), await h({ messageKey: key, reason: "new" })];
    expect(outcomes.map((o) => o.sent)).toEqual([true, false, false]);
    expect(outcomes[1]!.why).toBe("already-sent");
    expect(peer.received).toHaveLength(1);
    const log = (await readAckLog(store, key))!;
    expect(log.status).toBe("sent");
    expect(log.messageId).toBe(ackMessageId(call, key));
    expect(peer.received[0]!.raw).toContain(`Message-ID: ${log.messageId}`);
  });

  it("runs concurrently for one key yet sends once", async () => {
    const key = await add(submissions[1]!);
    const h = handler();
    const results = await Promise.allSettled([h({ messageKey: key }), h({ messageKey: key }), h({ messageKey: key })]);
    const sent = results.filter((r) => r.status === "fulfilled" && r.value.sent).length;
    expect(sent).toBe(1);
    // The losers are told to come back later, and then find it sent.
    for (const r of results) if (r.status === "rejected") expect(isIntakeError(r.reason, "SMTP_TEMPORARY")).toBe(true);
    expect(await h({ messageKey: key })).toEqual({ sent: false, why: "already-sent" });
    expect(peer.received).toHaveLength(1);
  });

  it("after a crash between sending and recording, resends with the same Message-ID", async () => {
    const key = await add(submissions[2]!);
    // What a process that died mid-send leaves behind.
    const crashed: AckLogEntry = {
      ackKey: key,
      messageKey: key,
      reason: "new",
      status: "sending",
      messageId: "<ack.crashed-earlier@cast.org.cn>",
      to: "x@example.org",
      reference: "2026-X",
      attempts: 1,
      resends: 0,
      updatedAt: new Date().toISOString(),
    };
    await store.putJson(ackLogPath(key), crashed);
    const out = await handler()({ messageKey: key });
    expect(out.sent).toBe(true);
    expect(peer.received).toHaveLength(1);
    expect(peer.received[0]!.raw).toContain("Message-ID: <ack.crashed-earlier@cast.org.cn>");
    expect((await readAckLog(store, key))!.attempts).toBe(2);
  });

  it("sends nothing for inquiries, auto-replies, bounces and newsletters", async () => {
    const h = handler();
    for (const item of items.filter((i) => !i.expected.ack)) {
      const key = await add(item);
      expect((await h({ messageKey: key })).sent, item.id).toBe(false);
      if (item.expected.kind === "inquiry") continue;
      // Even a machine's email wrongly recorded as a submission is stopped by its headers.
      const key2 = await add(item, { messageKey: `${item.id}-as-submission`, kind: "submission", ack: true });
      const out = await h({ messageKey: key2 });
      expect(out.sent, item.id).toBe(false);
      expect((await readAckLog(store, key2))?.status).toBe("suppressed");
    }
    expect(peer.received).toHaveLength(0);
  });

  it("records a permanent refusal in the failed list and sends it again only on resend", async () => {
    const key = await add(submissions[3]!);
    const h = handler();
    peer.refuseRcpt = { code: 550, text: "mailbox unavailable" };
    const e = await h({ messageKey: key }).catch((err: unknown) => err);
    expect(isIntakeError(e, "SMTP_PERMANENT")).toBe(true);
    const failed = JSON.parse(await readFile(join(store.root, ackFailedPath(key)), "utf8")) as AckLogEntry;
    expect(failed.status).toBe("failed");
    expect(failed.why).toMatch(/550/);
    expect(await h({ messageKey: key })).toEqual({ sent: false, why: "failed-earlier" });
    peer.refuseRcpt = null;
    expect((await h({ messageKey: key, reason: "resend" })).sent).toBe(true);
    expect(peer.received).toHaveLength(1);
    expect(peer.received[0]!.raw).toContain(`Message-ID: ${failed.messageId}`);
  });

  it("keeps a receipt through an SMTP outage and sends it, unchanged, when the server is back", async () => {
    const key = await add(submissions[4]!);
    const down = await startSmtpPeer();
    await down.close();
    const offline = createMailer({ mode: "smtp", smtp: { host: "127.0.0.1", port: down.port, timeoutMs: 2000 }, from: "guoyunlong@cast.org.cn" });
    const e = await handler({ mailer: offline })({ messageKey: key }).catch((err: unknown) => err);
    offline.close();
    expect(isIntakeError(e, "SMTP_TEMPORARY")).toBe(true);
    const pending = (await readAckLog(store, key))!;
    expect(pending.status).toBe("sending");
    expect(existsSync(join(store.root, ackFailedPath(key)))).toBe(false);
    expect((await handler()({ messageKey: key })).sent).toBe(true);
    expect(peer.received[0]!.raw).toContain(`Message-ID: ${pending.messageId}`);
  });

  it("defers receipts beyond the hourly limit per recipient, then sends them in the next hour", async () => {
    let now = new Date("2026-01-10T02:10:00Z");
    const h = handler({ rateLimit: { perRecipientPerHour: 2 }, now: () => now });
    const item = submissions[5]!;
    const keys = [];
    for (let i = 0; i < 3; i++) keys.push(await add(item, { messageKey: `${item.id}-copy-${i}` }));
    expect((await h({ messageKey: keys[0]! })).sent).toBe(true);
    expect((await h({ messageKey: keys[1]! })).sent).toBe(true);
    const e = await h({ messageKey: keys[2]! }).catch((err: unknown) => err);
    expect(isIntakeError(e, "SMTP_TEMPORARY")).toBe(true);
    expect((await readAckLog(store, keys[2]!))!.why).toBe("rate-limited");
    expect(existsSync(join(store.root, ackFailedPath(keys[2]!)))).toBe(false);
    // On the job's last attempt it is listed for ops.
    await h({ messageKey: keys[2]! }, { attemptsMade: 9, maxAttempts: 10 }).catch(() => undefined);
    expect(existsSync(join(store.root, ackFailedPath(keys[2]!)))).toBe(true);
    expect(peer.received).toHaveLength(2);
    now = new Date("2026-01-10T03:01:00Z");
    expect((await h({ messageKey: keys[2]! })).sent).toBe(true);
    expect(peer.received).toHaveLength(3);
  });

  it("gives an update its own receipt, once", async () => {
    const key = await add(submissions[6]!);
    const h = handler();
    expect((await h({ messageKey: key })).sent).toBe(true);
    expect((await h({ messageKey: key, reason: "update" })).sent).toBe(true);
    expect((await h({ messageKey: key, reason: "update" })).sent).toBe(false);
    expect(peer.received).toHaveLength(2);
    const ids = peer.received.map((r) => /^Message-ID: (.*)$/m.exec(r.raw)![1]);
    expect(new Set(ids).size).toBe(2);
  });

  it("fails clearly for a message that is not in the archive", async () => {
    const e = await handler()({ messageKey: "nope" }).catch((err: unknown) => err);
    expect(isIntakeError(e, "MESSAGE_NOT_FOUND")).toBe(true);
  });

  it("in outbox mode writes outbox/<key>.eml instead of sending", async () => {
    const key = await add(submissions[7]!);
    const outbox = createMailer({ mode: "outbox", outboxDir: join(store.root, "outbox"), from: "guoyunlong@cast.org.cn" });
    expect((await handler({ mailer: outbox })({ messageKey: key })).sent).toBe(true);
    const eml = await readFile(join(store.root, "outbox", `${key}.eml`), "utf8");
    expect(eml).toMatch(/^Auto-Submitted: auto-replied$/m);
    expect(peer.received).toHaveLength(0);
  });
});

describe("ack handler, last attempt", () => {
  it("lists a receipt whose retries ran out in the failed list, still resendable", async () => {
    const key = await add(submissions[8]!);
    const down = await startSmtpPeer();
    await down.close();
    const offline = createMailer({ mode: "smtp", smtp: { host: "127.0.0.1", port: down.port, timeoutMs: 2000 }, from: "guoyunlong@cast.org.cn" });
    const h = handler({ mailer: offline });
    await h({ messageKey: key }, { attemptsMade: 0, maxAttempts: 3 }).catch(() => undefined);
    expect(existsSync(join(store.root, ackFailedPath(key)))).toBe(false);
    const e = await h({ messageKey: key }, { job: { attemptsMade: 2, opts: { attempts: 3 } } }).catch((err: unknown) => err);
    offline.close();
    expect(isIntakeError(e, "SMTP_TEMPORARY")).toBe(true);
    const failed = JSON.parse(await readFile(join(store.root, ackFailedPath(key)), "utf8")) as AckLogEntry;
    expect(failed.why).toMatch(/retries exhausted/);
    expect((await handler()({ messageKey: key, reason: "resend" })).sent).toBe(true);
    expect(peer.received[0]!.raw).toContain(`Message-ID: ${failed.messageId}`);
  });
});
