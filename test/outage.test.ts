// The daemon through outages of its servers: an IMAP server stopped for 30 s,
// the SMTP server stopped, Redis restarted. Each test starts servers of its
// own (Dovecot via scripts/services/up.d/20-dovecot.sh on other ports, Redis
// with AOF, an SMTP server), never the shared ones.
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { Archive } from "../packages/archive/src/archive.js";
import { messageKeyOf } from "../packages/mail/src/message-key.js";
import { startSmtpCapture, type SmtpCapture } from "./chaos/smtp-capture.js";
import { eventually, startDaemon, writeDaemonConfig, type DaemonProcess, type LogLine } from "./support/daemon.js";
import { uniqueName } from "./support/dovecot.js";
import { startCountingRelay, startOwnDovecot, type OwnDovecot } from "./support/own-dovecot.js";
import { cliArgs, repoRoot } from "./support/paths.js";
import { startThrowawayRedis, type ThrowawayRedis } from "./support/redis-server.js";

const run = promisify(execFile);
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sample emails (in the repository), smallest first; with `attached`, only those with attachments (submissions, which get a receipt). */
async function samples(n: number, attached = false): Promise<Buffer[]> {
  const dir = join(repoRoot, "samples/mailboxes/qijiaru");
  const all = await Promise.all((await readdir(dir)).filter((f) => f.endsWith(".eml")).map((f) => readFile(join(dir, f))));
  return all
    .filter((m) => !attached || /filename\*?=/i.test(m.toString("latin1")))
    .sort((a, b) => a.length - b.length)
    .slice(0, n);
}

async function status(configFile: string): Promise<{ code: number; json: { mailboxes: Array<{ id: string; problem: string | null }>; smtp: { problem: string | null } } }> {
  try {
    const { stdout } = await run(process.execPath, [...cliArgs, "status", "--json", "--config", configFile], { cwd: repoRoot, timeout: 60_000 });
    return { code: 0, json: JSON.parse(stdout) };
  } catch (err) {
    const e = err as { code?: number; stdout?: string };
    if (typeof e.code !== "number") throw err;
    return { code: e.code, json: JSON.parse(e.stdout ?? "{}") };
  }
}

interface Setup {
  dovecot: OwnDovecot;
  redis: ThrowawayRedis;
  smtp: SmtpCapture;
  daemon: DaemonProcess;
  archive: Archive;
  configFile: string;
  users: Array<{ id: string; user: string }>;
  relays: Array<{ id: string; connections: number }>;
  opsUrl: string;
}

async function setUp(): Promise<Setup> {
  const dovecot = await startOwnDovecot();
  cleanups.push(() => dovecot.destroy());
  const redis = await startThrowawayRedis({ appendonly: true });
  cleanups.push(() => redis.destroy());
  const smtp = await startSmtpCapture();
  cleanups.push(() => smtp.close());
  const boxes = [];
  const relays = [];
  for (const id of ["guoyunlong", "qijiaru"]) {
    const u = await dovecot.createUser(uniqueName(`outage-${id.slice(0, 4)}`), uniqueName("pw"));
    // Each mailbox reaches the server through a relay that counts its connections (its login attempts).
    const relay = await startCountingRelay(dovecot.imapPort);
    cleanups.push(() => relay.close());
    relays.push(Object.assign(relay, { id }));
    boxes.push({ id, ...u, port: relay.port });
  }
  const cfg = await writeDaemonConfig(boxes, {
    prefix: uniqueName("t-outage"),
    redisUrl: redis.url,
    extra: `smtp: { mode: smtp, host: "127.0.0.1", port: ${smtp.port}, secure: "false", from: "guoyunlong@cast.org.cn" }`,
  });
  cleanups.push(cfg.cleanup);
  const daemon = startDaemon(cfg.configFile);
  cleanups.push(() => daemon.stop("SIGKILL"));
  const ops = await daemon.waitForLog((l) => l.component === "ops-http" && typeof l.url === "string");
  for (const id of ["guoyunlong", "qijiaru"]) await daemon.waitForLog((l) => l.mailbox === id && l.msg === "IMAP connected");
  return { dovecot, redis, smtp, daemon, archive: new Archive({ root: cfg.archiveDir }), configFile: cfg.configFile, users: boxes, relays, opsUrl: String(ops.url) };
}

const readyz = async (url: string) => (await fetch(`${url}/readyz`)).status;
const readyzChecks = async (url: string) => ((await (await fetch(`${url}/readyz`)).json()) as { checks: Array<{ name: string; ok: boolean; detail?: string; error?: string }> }).checks;
const linesBetween = (lines: LogLine[], from: number, to: number) => lines.filter((l) => Number(l.time) >= from && Number(l.time) <= to);

describe("the daemon through outages", () => {
  it("rides out an IMAP server stopped for 30 s: few log lines, at most 2 logins per mailbox, status failing meanwhile", async () => {
    const s = await setUp();
    const [a, b] = await samples(2);
    await s.dovecot.deliver(s.users[1]!.user, a!);
    await eventually(() => s.archive.readRecord(messageKeyOf(a!)), 120_000, s.daemon);
    expect((await status(s.configFile)).code).toBe(0);

    const before = s.relays.map((r) => r.connections);
    const t0 = Date.now();
    await s.dovecot.stop();
    await sleep(12_000);
    // Not checked for over 3 poll intervals (2 s each): both mailboxes are reported, the exit code says so.
    const during = await status(s.configFile);
    expect(during.code).toBe(1);
    expect(during.json.mailboxes.every((m) => m.problem)).toBe(true);
    expect(await readyz(s.opsUrl)).toBe(503);
    // Mail arriving meanwhile is taken once the server is back.
    await s.dovecot.deliverOffline(s.users[1]!.user, b!);
    await sleep(Math.max(0, t0 + 30_000 - Date.now()));
    const attempts = s.relays.map((r, i) => r.connections - before[i]!);
    const t1 = Date.now();
    await s.dovecot.start();

    const lines = linesBetween(s.daemon.lines, t0, t1);
    console.log(`IMAP down 30 s: ${lines.length} log lines, connection attempts per mailbox ${attempts.join(", ")}`);
    expect(lines.length).toBeLessThan(20);
    for (const n of attempts) expect(n).toBeLessThanOrEqual(2);
    await eventually(() => s.archive.readRecord(messageKeyOf(b!)), 180_000, s.daemon);
    await eventually(async () => (await status(s.configFile)).code === 0, 60_000, s.daemon);
    expect(await readyz(s.opsUrl)).toBe(200);
    const checks = await readyzChecks(s.opsUrl);
    for (const id of ["guoyunlong", "qijiaru"]) expect(checks.find((c) => c.name === `imap ${id}`)?.detail).toMatch(/^last checked 20/);
    expect(checks.find((c) => c.name === "smtp")?.detail).toMatch(/^last success/);
    expect(s.daemon.lines.filter((l) => typeof l.msg === "string" && l.msg.includes("reachable again"))).toHaveLength(2);
  }, 400_000);

  it("keeps receipts while the SMTP server is down, says so in status, and sends them once it is back", async () => {
    const s = await setUp();
    const [a, b] = await samples(2, true);
    await s.dovecot.deliver(s.users[0]!.user, a!);
    await eventually(async () => s.smtp.received.length === 1, 180_000, s.daemon);

    await s.smtp.stop();
    await s.dovecot.deliver(s.users[0]!.user, b!);
    const keyB = messageKeyOf(b!);
    await eventually(() => s.archive.readRecord(keyB), 120_000, s.daemon);
    await eventually(async () => (await status(s.configFile)).json.smtp?.problem, 90_000, s.daemon);
    expect((await status(s.configFile)).code).toBe(1);
    expect(await readyz(s.opsUrl)).toBe(503);
    expect(s.smtp.received).toHaveLength(1);

    const back = Date.now();
    await s.smtp.start();
    await eventually(async () => s.smtp.received.length === 2, 240_000, s.daemon);
    console.log(`SMTP down: receipt delivered ${((Date.now() - back) / 1000).toFixed(0)}s after the server came back`);
    const log = (await s.archive.readJson<{ status: string; attempts: number }>(`acks/${keyB}.json`))!;
    expect(log.status).toBe("sent");
    expect(log.attempts).toBeGreaterThan(1);
    await eventually(async () => (await status(s.configFile)).code === 0, 60_000, s.daemon);
  }, 500_000);

  it("loses nothing when Redis restarts while mail is being worked on", async () => {
    const s = await setUp();
    const mails = await samples(3);
    for (const m of mails) await s.dovecot.deliver(s.users[1]!.user, m);
    await eventually(async () => (await s.archive.listMessages()).length >= 1, 120_000, s.daemon);
    await s.redis.stop();
    await sleep(3_000);
    await s.redis.start();
    const keys = mails.map((m) => messageKeyOf(m));
    await eventually(async () => {
      for (const k of keys) if (!(await s.archive.readRecord(k))) return false;
      const acked = (await Promise.all(keys.map((k) => s.archive.readRecord(k)))).filter((r) => r!.ack).length;
      return s.smtp.received.length >= acked;
    }, 300_000, s.daemon);
    await sleep(3_000);
    const ids = s.smtp.received.map((r) => r.messageId);
    console.log(`Redis restarted: ${keys.length} emails, ${keys.length} records, ${ids.length} receipts, ${ids.length - new Set(ids).size} duplicated`);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await status(s.configFile)).code).toBe(0);
  }, 500_000);
});
