// The ops commands as real processes, on an archive made by the pipeline from
// sample emails, against real Redis, Dovecot and SMTP.
import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Archive } from "../packages/archive/src/archive.js";
import { redisOptionsFromUrl } from "../packages/jobs/src/connection.js";
import { createQueues, type Queues } from "../packages/jobs/src/queues.js";
import type { MessageResult } from "../packages/schema/src/index.js";
import { createMailUser, IMAP_HOST, IMAP_PORT, removeMailUser, uniqueName, type MailUser } from "./support/dovecot.js";
import { REDIS_URL } from "./support/daemon.js";
import { SMTP_HOST, SMTP_PORT } from "./support/smtp.js";
import { startThrowawayRedis, type ThrowawayRedis } from "./support/redis-server.js";
import { writeMailboxHealth } from "../packages/ops/src/health/health-files.js";
import { cliArgs, repoRoot } from "./support/paths.js";
import { checkPpOcrModels } from "../packages/ops/src/doctor-checks.js";
import { sampleMailboxes } from "./support/samples.js";

const run = promisify(execFile);

let dir: string;
let archive: Archive;
let queues: Queues;
let user: MailUser;
const prefix = uniqueName("t-ops-cli");
let env: NodeJS.ProcessEnv;

async function intake(args: string[], extra: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [...cliArgs, ...args], { cwd: repoRoot, env: { ...env, ...extra }, timeout: 180_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== "number") throw err;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "intake-ops-cli-"));
  // The three smallest emails of a mailbox: quick to parse, no scanned copy to OCR.
  const from = join(sampleMailboxes, "guoyunlong");
  const sized = await Promise.all((await readdir(from)).filter((n) => n.endsWith(".eml")).map(async (n) => ({ n, size: (await stat(join(from, n))).size })));
  await mkdir(join(dir, "in/guoyunlong"), { recursive: true });
  for (const { n } of sized.sort((a, b) => a.size - b.size).slice(0, 3)) await copyFile(join(from, n), join(dir, "in/guoyunlong", n));
  await run(process.execPath, [...cliArgs, "parse", join(dir, "in"), "--out", join(dir, "records"), "--archive", join(dir, "archive")], { cwd: repoRoot, timeout: 180_000 });
  archive = new Archive({ root: join(dir, "archive") });
  queues = createQueues({ connection: redisOptionsFromUrl(REDIS_URL, { maxRetriesPerRequest: 3 }), prefix });
  user = await createMailUser(uniqueName("opscli"), uniqueName("pw"));
  env = {
    ...process.env,
    INTAKE_ARCHIVE_DIR: join(dir, "archive"),
    INTAKE_REDIS_URL: REDIS_URL,
    INTAKE_REDIS_PREFIX: prefix,
    INTAKE_LOG_LEVEL: "warn",
  };
});

afterAll(async () => {
  for (const n of ["parse", "scan", "assemble", "ack"] as const) await queues?.queue(n).obliterate({ force: true }).catch(() => undefined);
  await queues?.close();
  if (user) await removeMailUser(user.user).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

async function records(): Promise<Map<string, MessageResult>> {
  const out = new Map<string, MessageResult>();
  for (const k of await archive.listMessages()) out.set(k, (await archive.readRecord(k))!);
  return out;
}

async function ackJobs(): Promise<Array<{ id: string; data: { messageKey: string; reason?: string } }>> {
  const jobs = await queues.queue("ack").getJobs(["waiting", "delayed", "prioritized"]);
  return jobs.map((j) => ({ id: j.id!, data: j.data as { messageKey: string; reason?: string } }));
}

describe("intake status, replay and resend-ack", () => {
  it("status shows the archive, the mailboxes and the queues, and fails while a mailbox is not being checked", async () => {
    const before = await records();
    // No daemon has ever checked these mailboxes: status says so and exits 1.
    const unpolled = await intake(["status"]);
    expect(unpolled.code).toBe(1);
    expect(unpolled.stdout).toMatch(/mailbox guoyunlong never checked successfully/);
    // As the daemon's watchers report after each successful check.
    for (const mailbox of ["guoyunlong", "qijiaru"]) {
      await writeMailboxHealth(archive, { mailbox, lastPollAt: new Date().toISOString(), lastFailureAt: null, failure: null });
    }
    const r = await intake(["status", "--json"]);
    expect(r.code).toBe(0);
    const st = JSON.parse(r.stdout) as {
      archive: { messages: number; records: number; submissions: number; receipts: Record<string, number> };
      mailboxes: Array<{ id: string; messages: number }>;
      redis: { ok: boolean };
      queues: Record<string, Record<string, number>>;
    };
    const submissions = [...before.values()].reduce((n, rec) => n + rec.submissions.length, 0);
    expect(submissions).toBeGreaterThan(0);
    expect(st.archive).toMatchObject({ messages: before.size, records: before.size, submissions });
    expect(st.archive.receipts.sent).toBe([...before.values()].filter((rec) => rec.ack).length);
    expect(st.mailboxes.find((m) => m.id === "guoyunlong")?.messages).toBe(before.size);
    expect(st.redis.ok).toBe(true);
    expect(Object.keys(st.queues).sort()).toEqual(["ack", "assemble", "parse", "scan"]);
    const text = await intake(["status"]);
    expect(text.stdout).toMatch(/failures: none/);
    expect(text.stdout).toMatch(/last checked: .*s ago\) {2}✓/);
  });

  it("replay --failed redoes a message whose record was lost, the same as before, without a second receipt", async () => {
    const before = await records();
    const [key, rec] = [...before].find(([, r]) => r.ack)!;
    await rm(join(archive.messageDir(key), "record.json"));
    const st = JSON.parse((await intake(["status", "--json"])).stdout) as { archive: { pending: string[] } };
    expect(st.archive.pending).toEqual([key]);

    const r = await intake(["replay", "--failed"]);
    expect(r.stderr).toMatch(/replayed 1\/1 messages/);
    expect(r.stderr).toMatch(/receipts queued 0, already handled 1/);
    expect(r.code).toBe(0);
    const again = (await archive.readRecord(key))!;
    expect(again.kind).toBe(rec.kind);
    expect(again.submissions.map((s) => s.flags)).toEqual(rec.submissions.map((s) => s.flags));
    expect(await ackJobs()).toEqual([]);
  });

  it("replay --all is idempotent and queues no receipt unless asked", async () => {
    const before = await records();
    const r = await intake(["replay", "--all"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`replayed ${before.size}/${before.size} messages`));
    const after = await records();
    for (const [k, rec] of before) expect(after.get(k)?.submissions.map((s) => s.flags)).toEqual(rec.submissions.map((s) => s.flags));
    expect(await ackJobs()).toEqual([]);

    const key = [...before].find(([, rec]) => rec.ack)![0];
    const resend = await intake(["replay", key, "--resend-acks"]);
    expect(resend.code).toBe(0);
    expect((await ackJobs()).map((j) => j.data)).toEqual([{ messageKey: key, reason: "resend" }]);
    await queues.queue("ack").drain();
  });

  it("resend-ack finds a submission by its Message-ID and queues its receipt once more", async () => {
    const [key, rec] = [...(await records())].find(([, r]) => r.ack && r.messageId)!;
    const r = await intake(["resend-ack", `<${rec.messageId}>`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/previous receipt: sent/);
    expect((await ackJobs()).map((j) => j.data)).toEqual([{ messageKey: key, reason: "resend" }]);
    await queues.queue("ack").drain();

    expect((await intake(["resend-ack", "no-such-message"])).code).toBe(1);
    const notAcked = [...(await records())].find(([, r]) => !r.ack);
    if (notAcked) expect((await intake(["resend-ack", notAcked[0]])).stderr).toMatch(/gets no receipt/);
  });
});

describe("intake doctor", () => {
  // Redis as the README asks for it (AOF on); the shared test Redis runs without AOF.
  let aof: ThrowawayRedis;
  beforeAll(async () => {
    aof = await startThrowawayRedis({ appendonly: true });
  });
  afterAll(async () => {
    await aof?.destroy();
  });
  const mailboxEnv = (password: string) => ({
    INTAKE_REDIS_URL: aof.url,
    INTAKE_MAILBOX_GUOYUNLONG_HOST: IMAP_HOST,
    INTAKE_MAILBOX_GUOYUNLONG_PORT: String(IMAP_PORT),
    INTAKE_MAILBOX_GUOYUNLONG_TLS: "false",
    INTAKE_MAILBOX_GUOYUNLONG_USER: user.user,
    INTAKE_MAILBOX_GUOYUNLONG_PASSWORD: password,
    INTAKE_MAILBOX_QIJIARU_HOST: IMAP_HOST,
    INTAKE_MAILBOX_QIJIARU_PORT: String(IMAP_PORT),
    INTAKE_MAILBOX_QIJIARU_TLS: "false",
    INTAKE_MAILBOX_QIJIARU_USER: user.user,
    INTAKE_MAILBOX_QIJIARU_PASSWORD: user.password,
    INTAKE_SMTP_MODE: "smtp",
    INTAKE_SMTP_HOST: SMTP_HOST,
    INTAKE_SMTP_PORT: String(SMTP_PORT),
    INTAKE_SMTP_SECURE: "false",
  });

  it("passes every check when the servers answer", async () => {
    const r = await intake(["doctor", "--min-free-gb", "0", "--timeout", "20"], mailboxEnv(user.password));
    const lines = r.stdout.split("\n").filter((l) => /^[✓✗]/.test(l));
    expect(lines.filter((l) => l.startsWith("✗")), r.stdout).toEqual([]);
    for (const name of ["config", "archive", "disk", "redis", "imap guoyunlong", "imap qijiaru", "smtp", "ocr data", "ppocr models"]) {
      expect(lines.some((l) => l.startsWith(`✓ ${name} `)), `${name} in\n${r.stdout}`).toBe(true);
    }
    expect(r.code).toBe(0);
  });

  it("fails the PP-OCR check when a model file is missing or does not load, and says how to get it back", async () => {
    const { probePpOcr, PPOCR_FILES } = await import("../packages/scan/src/index.js");
    const { dir: installed } = await probePpOcr();
    const broken = await mkdtemp(join(tmpdir(), "intake-ppocr-"));
    try {
      const [det, rec, dict] = PPOCR_FILES;
      await copyFile(join(installed, det), join(broken, det));
      await copyFile(join(installed, dict), join(broken, dict));
      const missing = await checkPpOcrModels(broken);
      expect(missing).toMatchObject({ ok: false, detail: expect.stringContaining(rec) });
      expect(missing.fix).toMatch(/install\.sh/);
      // A recognition model cut short (a broken download) is on disk but does not load.
      await writeFile(join(broken, rec), (await readFile(join(installed, rec))).subarray(0, 100_000));
      const truncated = await checkPpOcrModels(broken);
      expect(truncated).toMatchObject({ ok: false, detail: expect.stringMatching(/could not be loaded/) });
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it("names the variable to fix when a mailbox password changed", async () => {
    const r = await intake(["doctor", "--min-free-gb", "0", "--timeout", "20"], mailboxEnv("wrong-password"));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ imap guoyunlong .*login refused/m);
    expect(r.stdout).toMatch(/INTAKE_MAILBOX_GUOYUNLONG_PASSWORD/);
    expect(r.stdout).toMatch(/^✓ imap qijiaru /m);
  });

  it("fails the Redis check when appendonly is off", async () => {
    const noAof = await startThrowawayRedis({ appendonly: false });
    const r = await intake(["doctor", "--min-free-gb", "0", "--timeout", "20"], { ...mailboxEnv(user.password), INTAKE_REDIS_URL: noAof.url }).finally(() => noAof.destroy());
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^✗ redis .*appendonly no/m);
    expect(r.stdout).toMatch(/set appendonly yes/);
  });
});
