// One surge: re-keyed corpus emails delivered into the test Dovecot at a set
// rate while the real daemon (every role in one process, plus any extra
// scan-only processes) runs against Redis and an SMTP peer; then what each
// email cost and how long its receipt took.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Archive } from "../../packages/archive/src/archive.js";
import { redisOptionsFromUrl } from "../../packages/jobs/src/connection.js";
import { createQueues } from "../../packages/jobs/src/queues.js";
import { messageKeyOf } from "../../packages/mail/src/message-key.js";
import type { MessageResult } from "../../packages/schema/src/index.js";
import { startSmtpCapture } from "../../test/chaos/smtp-capture.js";
import { createMailUser, deliver, removeMailUser, uniqueName, type MailUser } from "../../test/support/dovecot.js";
import { cliArgs, repoRoot } from "../../test/support/paths.js";
import { rekey, templateOrder, type Template } from "./corpus.js";
import { startProcSampler, type ProcPeak } from "./procs.js";

export type EmailKind = "word+scan" | "scan-only" | "word-only" | "non-submission";

export interface SurgeOptions {
  templates: Template[];
  /** Emails per hour, and for how long. */
  ratePerHour: number;
  minutes: number;
  /** Longest wait for the queues to drain after the last delivery, in minutes. */
  drainMinutes: number;
  /** Processes running only the scan role, beside the daemon with every role. */
  extraScanProcesses: number;
  /** YAML lines added to the daemon's settings (workers, priorities). */
  extraConfig: string[];
  redisUrl: string;
  workDir: string;
  seed: number;
  say: (line: string) => void;
}

export interface QueueSample {
  t: number;
  delivered: number;
  receipts: number;
  /** Jobs waiting (incl. prioritized and waiting for children) and running, per queue. */
  queues: Record<string, { waiting: number; active: number; failed: number }>;
}

export interface EmailResult {
  key: string;
  origin: string;
  kind: EmailKind;
  deliveredAt: number;
  /** ms from delivery to the SMTP peer's acceptance of its first receipt; null when none came. */
  latencyMs: number | null;
  /** Whether its record says it deserves a receipt. */
  wantsReceipt: boolean;
  /** CPU seconds its scanned copies took in the scan processes (PDF processes included). */
  scanCpuSeconds: number;
  failed: boolean;
}

export interface SurgeResult {
  emails: EmailResult[];
  samples: QueueSample[];
  startedAt: number;
  lastDeliveryAt: number;
  drainedAt: number | null;
  peaks: ProcPeak[];
  /** CPU seconds per daemon process (with its descendants). */
  cpu: Map<string, number>;
  failedJobs: number;
  runDir: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function kindOf(rec: MessageResult | null): EmailKind {
  if (!rec || rec.kind !== "submission" || rec.submissions.length === 0) return "non-submission";
  const word = rec.submissions.some((s) => s.word);
  const scan = rec.submissions.some((s) => (s.scan?.length ?? 0) > 0);
  if (word && scan) return "word+scan";
  if (scan) return "scan-only";
  return "word-only";
}

interface Proc {
  child: ChildProcess;
  exited: Promise<void>;
}

export async function runSurge(opts: SurgeOptions): Promise<SurgeResult> {
  const runId = Date.now().toString(36).slice(-5);
  const runDir = join(opts.workDir, `surge-${runId}`);
  await mkdir(runDir, { recursive: true });
  const archiveDir = join(runDir, "archive");
  const prefix = uniqueName("surge");
  const boxes = [...new Set(opts.templates.flatMap((t) => t.copies.map((c) => c.mailbox)))].sort();
  const users = new Map<string, MailUser>();
  for (const b of boxes) users.set(b, await createMailUser(uniqueName(`surge-${b}`.slice(0, 20)), uniqueName("pw")));
  const smtp = await startSmtpCapture();
  const queues = createQueues({ connection: redisOptionsFromUrl(opts.redisUrl, { maxRetriesPerRequest: 3 }), prefix });
  const configFile = join(runDir, "config.yaml");
  await writeFile(
    configFile,
    [
      "mailboxes:",
      ...boxes.map((b) => {
        const u = users.get(b)!;
        return `  - { id: ${b}, host: "${u.host}", port: ${u.port}, tls: "false", user: "${u.user}", password: "${u.password}" }`;
      }),
      `redis: { url: "${opts.redisUrl}", prefix: "${prefix}" }`,
      `archive: { dir: "${archiveDir}" }`,
      'ops: { host: "127.0.0.1", port: 0 }',
      `smtp: { mode: smtp, host: "127.0.0.1", port: ${smtp.port}, secure: "false", from: "guoyunlong@cast.org.cn" }`,
      ...opts.extraConfig,
    ].join("\n"),
  );
  const logFile = createWriteStream(join(runDir, "daemon.log"));
  const scanCpu = new Map<string, number>();
  const sampler = startProcSampler();
  const procs: Proc[] = [];
  const start = (roles: string | null, label: string): Proc => {
    const child = spawn(process.execPath, [...cliArgs, "run", "--config", configFile, ...(roles ? ["--roles", roles] : [])], {
      cwd: repoRoot,
      env: { ...process.env, INTAKE_LOG_LEVEL: "info", MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? "2" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let buf = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      logFile.write(chunk);
      buf += chunk.toString();
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.includes('"scan read"')) continue;
        try {
          const l = JSON.parse(line) as { messageKey?: string; cpuSeconds?: number };
          if (l.messageKey && typeof l.cpuSeconds === "number") scanCpu.set(l.messageKey, (scanCpu.get(l.messageKey) ?? 0) + l.cpuSeconds);
        } catch {
          // not a log line
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => logFile.write(chunk));
    sampler.watch(child.pid!, label);
    const p = { child, exited: new Promise<void>((r) => child.once("exit", () => r())) };
    procs.push(p);
    return p;
  };

  const deliveredAt = new Map<string, { at: number; origin: string }>();
  const samples: QueueSample[] = [];
  const startedAt = Date.now();
  let lastDeliveryAt = startedAt;
  try {
    start(null, "all roles");
    for (let i = 0; i < opts.extraScanProcesses; i++) start("scan", `scan #${i + 1}`);
    const sampleQueues = async () => {
      const counts = await queues.counts().catch(() => null);
      if (!counts) return;
      const q: QueueSample["queues"] = {};
      for (const [name, s] of Object.entries(counts)) {
        q[name] = { waiting: (s.waiting ?? 0) + (s.prioritized ?? 0) + (s["waiting-children"] ?? 0) + (s.delayed ?? 0), active: s.active ?? 0, failed: s.failed ?? 0 };
      }
      samples.push({ t: (Date.now() - startedAt) / 1000, delivered: deliveredAt.size, receipts: smtp.received.length, queues: q });
    };
    const sampling = setInterval(() => void sampleQueues(), 5_000);

    const total = Math.max(1, Math.round((opts.ratePerHour * opts.minutes) / 60));
    const gapMs = 3_600_000 / opts.ratePerHour;
    const next = templateOrder(opts.templates, opts.seed);
    opts.say(`${total} emails at ${opts.ratePerHour}/h (one every ${(gapMs / 1000).toFixed(1)} s) over ${opts.minutes} min; runs in ${runDir}`);
    for (let i = 0; i < total; i++) {
      const due = startedAt + i * gapMs;
      if (due > Date.now()) await sleep(due - Date.now());
      const t = next(i);
      let key = "";
      for (const c of t.copies) {
        const { raw } = rekey(c.raw, i, runId);
        key = messageKeyOf(raw);
        await deliver(users.get(c.mailbox)!.user, raw);
      }
      deliveredAt.set(key, { at: Date.now(), origin: t.origin });
      if ((i + 1) % 25 === 0) opts.say(`delivered ${i + 1}/${total}, receipts ${smtp.received.length}`);
    }
    lastDeliveryAt = Date.now();

    const archive = new Archive({ root: archiveDir });
    const haveRecord = new Set<string>();
    let drainedAt: number | null = null;
    const deadline = Date.now() + opts.drainMinutes * 60_000;
    while (Date.now() < deadline) {
      for (const key of deliveredAt.keys()) {
        if (!haveRecord.has(key) && (await archive.readRecord(key).catch(() => null))) haveRecord.add(key);
      }
      const counts = await queues.counts();
      const busy = Object.values(counts).some((s) => (s.waiting ?? 0) + (s.active ?? 0) + (s.delayed ?? 0) + (s.prioritized ?? 0) + (s["waiting-children"] ?? 0) > 0);
      if (haveRecord.size === deliveredAt.size && !busy) {
        drainedAt = Date.now();
        break;
      }
      await sleep(2_000);
    }
    // A receipt job that was about to send does so before counting.
    await sleep(3_000);
    await sampleQueues();
    clearInterval(sampling);
    sampler.sample();

    // Receipts are matched to their message through the sent-log's Message-ID.
    const byId = new Map<string, string>();
    for (const name of await readdir(join(archiveDir, "acks")).catch(() => [] as string[])) {
      if (!name.endsWith(".json")) continue;
      const e = JSON.parse(await readFile(join(archiveDir, "acks", name), "utf8")) as { messageKey: string; messageId: string | null };
      if (e.messageId) byId.set(e.messageId.replace(/^<|>$/g, ""), e.messageKey);
    }
    const firstReceipt = new Map<string, number>();
    for (const c of smtp.received) {
      const key = byId.get(c.messageId);
      if (key && !firstReceipt.has(key)) firstReceipt.set(key, c.acceptedAt);
    }
    const emails: EmailResult[] = [];
    for (const [key, d] of deliveredAt) {
      const rec = await archive.readRecord(key).catch(() => null);
      const receipt = firstReceipt.get(key);
      emails.push({
        key,
        origin: d.origin,
        kind: kindOf(rec),
        deliveredAt: d.at,
        latencyMs: receipt === undefined ? null : receipt - d.at,
        wantsReceipt: !!rec?.ack,
        scanCpuSeconds: scanCpu.get(key) ?? 0,
        failed: !rec || typeof rec.error === "string" || (rec.review?.reasons ?? []).some((x) => x.code === "step-failed"),
      });
    }
    const counts = await queues.counts();
    const failedJobs = Object.values(counts).reduce((n, s) => n + (s.failed ?? 0), 0);
    return { emails, samples, startedAt, lastDeliveryAt, drainedAt, peaks: sampler.peaks(), cpu: sampler.cpuSeconds(), failedJobs, runDir };
  } finally {
    sampler.stop();
    for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGTERM");
    await Promise.race([Promise.all(procs.map((p) => p.exited)), sleep(20_000)]);
    for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    logFile.end();
    for (const n of ["parse", "scan", "assemble", "ack"] as const) await queues.queue(n).obliterate({ force: true }).catch(() => undefined);
    await queues.close();
    await smtp.close();
    for (const u of users.values()) await removeMailUser(u.user).catch(() => undefined);
  }
}
