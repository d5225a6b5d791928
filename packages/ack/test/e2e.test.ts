// Receipts end to end: the handler run by a BullMQ worker, sent through the
// test Postfix (scripts/services/up.d/30-smtp.sh), delivered by LMTP into the
// test Dovecot, and read back over IMAP as the applicant.
import { mkdtemp } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { ImapFlow } from "imapflow";
import { Queue, QueueEvents, UnrecoverableError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isIntakeError, type MessageResult } from "@intake/schema";
import { ackBackoff, createAckHandler, createMailer, readAckLog, type AckPayload, type Mailer } from "../src/index.js";
import { createMailUser, removeMailUser, uniqueName, IMAP_HOST, IMAP_PORT } from "../../../test/support/dovecot.js";
import { SMTP_PORT, smtpReady } from "../../../test/support/smtp.js";
import { call2026, corpusItems, recordOf, DirStore, type CorpusItem } from "./support.js";
import { startSmtpProxy, type SmtpProxy } from "./smtp-proxy.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const call = call2026();
const items = corpusItems();
const password = randomBytes(8).toString("hex");
const users: string[] = [];

let redis: Redis;
let store: DirStore;
let proxy: SmtpProxy;
let mailer: Mailer;
let queue: Queue;
let events: QueueEvents;
let worker: Worker;
const prefix = `test-ack-e2e-${randomBytes(4).toString("hex")}`;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.on("connect", () => (s.destroy(), resolve(true)));
    s.on("error", () => resolve(false));
  });
}

beforeAll(async () => {
  if (!(await smtpReady())) throw new Error(`Postfix is not answering on 127.0.0.1:${SMTP_PORT}: run scripts/services/up.sh`);
  if (!(await listening(IMAP_PORT))) throw new Error(`Dovecot is not listening on 127.0.0.1:${IMAP_PORT}: run scripts/services/up.sh`);
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  store = new DirStore(await mkdtemp(join(tmpdir(), "ack-e2e-")));
  proxy = await startSmtpProxy(SMTP_PORT);
  mailer = createMailer({ mode: "smtp", smtp: { host: "127.0.0.1", port: proxy.port, timeoutMs: 3000 }, from: "guoyunlong@cast.org.cn" });
  const handler = createAckHandler({ store, mailer, call, redis, redisPrefix: `${prefix}:` });
  queue = new Queue("ack", { connection: redis, prefix });
  events = new QueueEvents("ack", { connection: redis.duplicate(), prefix });
  // As the daemon's job layer does: permanent errors are not retried.
  worker = new Worker(
    "ack",
    async (job: Job<AckPayload>) => {
      try {
        return await handler(job.data, { job });
      } catch (e) {
        if (isIntakeError(e) && e.permanent) throw new UnrecoverableError(e.message);
        throw e;
      }
    },
    {
      connection: redis.duplicate({ maxRetriesPerRequest: null }),
      prefix,
      settings: { backoffStrategy: (attemptsMade: number) => ackBackoff(attemptsMade, { baseMs: 300, maxMs: 2000 }) },
    },
  );
  await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);
});

afterAll(async () => {
  await worker?.close();
  await events?.close();
  await queue?.obliterate({ force: true }).catch(() => undefined);
  await queue?.close();
  mailer?.close();
  await proxy?.close();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis?.disconnect();
  for (const u of users) await removeMailUser(u).catch(() => undefined);
});

/** A fresh applicant mailbox in Dovecot. */
async function applicant(): Promise<string> {
  const address = `${uniqueName("applicant")}@applicant.example.org`;
  await createMailUser(address, password);
  users.push(address);
  return address;
}

/** A corpus email as if the given applicant had sent it: only the From address changes. */
async function archive(item: CorpusItem, from: string, patch: Partial<MessageResult> = {}): Promise<string> {
  const raw = readFileSync(item.emlPath).toString("latin1");
  const end = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, end).replace(/^(From:[^\r\n]*?)(<[^<>\r\n]*>|\S+@\S+)\s*$/m, `$1<${from}>`);
  const key = `${item.id}-${randomBytes(4).toString("hex")}`;
  await store.addMessage({ ...recordOf(item), messageKey: key, ...patch }, Buffer.from(head + raw.slice(end), "latin1"));
  return key;
}

async function enqueue(key: string): Promise<Job> {
  return queue.add("ack", { messageKey: key }, { jobId: `ack-${key}`, attempts: 20, backoff: { type: "custom" } });
}

interface Got {
  subject: string;
  inReplyTo: string;
  autoSubmitted: string;
  messageId: string;
  to: string;
}

async function inbox(user: string): Promise<Got[]> {
  const client = new ImapFlow({ host: IMAP_HOST, port: IMAP_PORT, secure: false, auth: { user, pass: password }, logger: false });
  await client.connect();
  try {
    const lock = await client.getMailboxLock("INBOX");
    try {
      const out: Got[] = [];
      for await (const m of client.fetch("1:*", { envelope: true, headers: ["auto-submitted", "in-reply-to"] })) {
        const h = m.headers?.toString("utf8") ?? "";
        out.push({
          subject: m.envelope?.subject ?? "",
          inReplyTo: m.envelope?.inReplyTo ?? "",
          autoSubmitted: /^auto-submitted:\s*(.*)$/im.exec(h)?.[1]?.trim() ?? "",
          messageId: m.envelope?.messageId ?? "",
          to: m.envelope?.to?.[0]?.address ?? "",
        });
      }
      return out;
    } finally {
      lock.release();
    }
  } catch (e) {
    // An empty mailbox has no "1:*" to fetch.
    if (/Invalid messageset|no such message/i.test(String(e))) return [];
    throw e;
  } finally {
    await client.logout().catch(() => undefined);
  }
}

async function waitForMail(user: string, count: number, ms = 30_000): Promise<Got[]> {
  const until = Date.now() + ms;
  let got: Got[] = [];
  while (Date.now() < until) {
    got = await inbox(user);
    if (got.length >= count) return got;
    await new Promise((r) => setTimeout(r, 300));
  }
  return got;
}

describe("receipts through Postfix into Dovecot", () => {
  it("one receipt for an email in both mailboxes whose job also ran twice", async () => {
    const user = await applicant();
    const item = items.find((i) => i.expected.ack && i.expected.mailboxes.length === 2)!;
    const key = await archive(item, user);
    // The poller sees it in each mailbox: one job id, so one job.
    const job = await enqueue(key);
    await enqueue(key);
    await job.waitUntilFinished(events, 30_000);
    // A retried job (e.g. after a restart) under another id.
    const again = await queue.add("ack", { messageKey: key }, { jobId: `ack-${key}-retry` });
    expect(await again.waitUntilFinished(events, 30_000)).toEqual({ sent: false, why: "already-sent" });
    const got = await waitForMail(user, 1);
    // Time for a duplicate to show up, if there were one.
    await new Promise((r) => setTimeout(r, 2000));
    const all = await inbox(user);
    expect(all).toHaveLength(1);
    expect(got[0]!.inReplyTo).toBe(item.expected.messageId);
    expect(got[0]!.autoSubmitted).toBe("auto-replied");
    expect(got[0]!.subject.startsWith("Re: ")).toBe(true);
    expect(got[0]!.to).toBe(user);
    expect(got[0]!.messageId).toBe((await readAckLog(store, key))!.messageId);
  });

  it("none for an auto-reply or a bounce, even one recorded as a submission", async () => {
    const user = await applicant();
    for (const kind of ["auto-reply", "bounce"]) {
      const item = items.find((i) => i.expected.kind === kind)!;
      for (const patch of [{}, { kind: "submission" as const, ack: true }]) {
        const key = await archive(item, user, patch);
        const job = await enqueue(key);
        const out = (await job.waitUntilFinished(events, 30_000)) as { sent: boolean };
        expect(out.sent, `${kind} ${JSON.stringify(patch)}`).toBe(false);
      }
    }
    // A real receipt sent afterwards is the only mail that arrives.
    const key = await archive(items.find((i) => i.expected.ack)!, user);
    await (await enqueue(key)).waitUntilFinished(events, 30_000);
    await waitForMail(user, 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await inbox(user)).toHaveLength(1);
  });

  it("an SMTP outage delays the receipt, which arrives once when the server is back", async () => {
    const user = await applicant();
    const key = await archive(items.filter((i) => i.expected.ack).at(-1)!, user);
    proxy.down = true;
    let failures = 0;
    // The worker reports each failed attempt (queue events only the last).
    const onFailed = (job: Job | undefined) => {
      if (job?.id === `ack-${key}`) failures++;
    };
    worker.on("failed", onFailed);
    const job = await enqueue(key);
    try {
      const until = Date.now() + 20_000;
      while (failures < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(failures).toBeGreaterThanOrEqual(2);
      expect((await readAckLog(store, key))!.status).toBe("sending");
      expect(await inbox(user)).toHaveLength(0);
    } finally {
      proxy.down = false;
      worker.off("failed", onFailed);
    }
    expect(await job.waitUntilFinished(events, 30_000)).toEqual({ sent: true, why: "new" });
    const log = (await readAckLog(store, key))!;
    expect(log.status).toBe("sent");
    expect(log.attempts).toBeGreaterThanOrEqual(3);
    const got = await waitForMail(user, 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await inbox(user)).toHaveLength(1);
    expect(got[0]!.messageId).toBe(log.messageId);
  });
});
