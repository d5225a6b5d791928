// A chaos run: a corpus delivered into Dovecot, the real daemon (every role,
// one process group: the daemon and its scan processes) against Redis with
// AOF and an SMTP peer, killed with SIGKILL at seeded random moments and
// restarted each time; then what was lost, doubled or changed.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { simpleParser } from "mailparser";
import { Archive } from "@intake/archive";
import { redisOptionsFromUrl } from "../../packages/jobs/src/connection.js";
import { createQueues } from "../../packages/jobs/src/queues.js";
import { messageKeyOf } from "../../packages/mail/src/message-key.js";
import type { MessageResult } from "../../packages/schema/src/index.js";
import { createMailUser, deliver, removeMailUser, uniqueName } from "../support/dovecot.js";
import { cliArgs, repoRoot } from "../support/paths.js";
import { startSmtpCapture, type Captured } from "./smtp-capture.js";

export interface ChaosOptions {
  /** A corpus folder with mailboxes/<mailbox id>/*.eml. */
  corpus: string;
  /** SIGKILLs during the run (0: a clean run). */
  kills: number;
  seed: number;
  redisUrl: string;
  /** Where the run's archives and logs go. */
  workDir: string;
  /** Longest a run may take, in ms. */
  timeoutMs: number;
  /** Longest wait between a start and the next kill, in ms; default 40 000. */
  maxGapMs?: number;
  /** Progress lines; default none. */
  say?: (line: string) => void;
}

export interface Receipt {
  ackKey: string;
  messageKey: string;
  messageIds: string[];
  /** How many times the SMTP peer accepted it (more than 1: a duplicate). */
  accepted: number;
  text: string;
  firstAcceptedAt: number;
}

export interface RunResult {
  seed: number;
  killsDone: number;
  durationMs: number;
  /** Message keys delivered (each email once, whatever its mailboxes). */
  delivered: string[];
  records: Map<string, MessageResult>;
  /** Archive folders that are not a delivered email (a duplicate record under another key). */
  strayRecords: string[];
  receipts: Map<string, Receipt>;
  /** Receipts the peer got whose Message-ID no sent-log entry names. */
  unknownReceipts: number;
  /** Per receipt: ms from the email's delivery to the peer's acceptance. */
  latencies: number[];
  /** Per receipt sent: ms from the peer's acceptance to the daemon's "sent" line (the crash window). */
  windows: number[];
  /** p99 event-loop lag of the daemon per scrape window, in ms. */
  lagP99: number[];
  finished: boolean;
  archiveDir: string;
  /** The daemon's JSON log lines, and those naming `messageKey` more than once. */
  logLines: number;
  duplicateKeyLines: number;
}

/** mulberry32: a small seeded generator, so a run's kill moments can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function percentile(xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

interface Daemon {
  child: ChildProcess;
  exited: Promise<void>;
  opsUrl: string | null;
}

async function corpusMail(corpus: string): Promise<Array<{ mailbox: string; raw: Buffer }>> {
  const root = join(corpus, "mailboxes");
  const out: Array<{ mailbox: string; raw: Buffer }> = [];
  for (const mailbox of (await readdir(root)).sort()) {
    const names = (await readdir(join(root, mailbox)).catch(() => [] as string[])).filter((n) => n.endsWith(".eml")).sort();
    for (const n of names) out.push({ mailbox, raw: await readFile(join(root, mailbox, n)) });
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runChaos(opts: ChaosOptions): Promise<RunResult> {
  const say = opts.say ?? (() => undefined);
  const rng = seeded(opts.seed);
  const runDir = join(opts.workDir, `run-${opts.kills}k-${opts.seed}-${Date.now().toString(36)}`);
  await mkdir(runDir, { recursive: true });
  const archiveDir = join(runDir, "archive");
  const prefix = uniqueName("chaos");
  const mail = await corpusMail(opts.corpus);
  const boxes = [...new Set(mail.map((m) => m.mailbox))];
  const users = new Map<string, Awaited<ReturnType<typeof createMailUser>>>();
  for (const b of boxes) users.set(b, await createMailUser(uniqueName(`chaos-${b}`.slice(0, 20)), uniqueName("pw")));
  const smtp = await startSmtpCapture();
  const queues = createQueues({ connection: redisOptionsFromUrl(opts.redisUrl, { maxRetriesPerRequest: 3 }), prefix });
  const logPath = join(runDir, "daemon.log");
  const logFile = createWriteStream(logPath);
  const sentLines = new Map<string, number>();
  let logLines = 0;
  let duplicateKeyLines = 0;
  const lagP99: number[] = [];
  let daemon: Daemon | null = null;
  const started = Date.now();

  const config = [
    "mailboxes:",
    ...boxes.map((b) => {
      const u = users.get(b)!;
      return `  - { id: ${b}, host: "${u.host}", port: ${u.port}, tls: "false", user: "${u.user}", password: "${u.password}" }`;
    }),
    `redis: { url: "${opts.redisUrl}", prefix: "${prefix}" }`,
    `archive: { dir: "${archiveDir}" }`,
    "poll: { intervalSeconds: 2 }",
    "shutdown: { timeoutSeconds: 10 }",
    'ops: { host: "127.0.0.1", port: 0 }',
    `smtp: { mode: smtp, host: "127.0.0.1", port: ${smtp.port}, secure: "false", from: "guoyunlong@cast.org.cn" }`,
  ].join("\n");
  const configFile = join(runDir, "config.yaml");
  await writeFile(configFile, config);

  const start = (): Daemon => {
    const child = spawn(process.execPath, [...cliArgs, "run", "--config", configFile], {
      cwd: repoRoot,
      env: { ...process.env, INTAKE_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: a kill takes the daemon and its scan processes, as a machine crash would.
      detached: true,
    });
    const d: Daemon = { child, exited: new Promise((r) => child.once("exit", () => r())), opsUrl: null };
    let buf = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      logFile.write(chunk);
      buf += chunk.toString();
      let i: number;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.startsWith("{")) continue;
        logLines++;
        if ((line.match(/"messageKey":/g)?.length ?? 0) > 1) duplicateKeyLines++;
        try {
          const l = JSON.parse(line) as Record<string, unknown>;
          if (l.msg === "receipt" && l.sent === true && typeof l.ackKey === "string" && !sentLines.has(l.ackKey)) sentLines.set(l.ackKey, Number(l.time));
          if (l.component === "ops-http" && typeof l.url === "string") d.opsUrl = l.url;
        } catch {
          // not a log line
        }
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => logFile.write(chunk));
    return d;
  };
  const killGroup = async (d: Daemon, signal: NodeJS.Signals) => {
    if (d.child.exitCode === null && d.child.signalCode === null) {
      try {
        process.kill(-d.child.pid!, signal);
      } catch {
        // already gone
      }
    }
    await d.exited;
  };

  const deliveredAt = new Map<string, number>();
  try {
    for (const m of mail) {
      await deliver(users.get(m.mailbox)!.user, m.raw);
      const key = messageKeyOf(m.raw);
      if (!deliveredAt.has(key)) deliveredAt.set(key, Date.now());
    }
    say(`delivered ${mail.length} emails (${deliveredAt.size} distinct) into ${boxes.length} mailboxes`);
    const archive = new Archive({ root: archiveDir });

    const isDone = async (): Promise<boolean> => {
      for (const key of deliveredAt.keys()) {
        const rec = await archive.readRecord(key).catch(() => null);
        if (!rec) return false;
      }
      const counts = await queues.counts();
      for (const states of Object.values(counts)) {
        if ((states.waiting ?? 0) + (states.active ?? 0) + (states.delayed ?? 0) + (states.prioritized ?? 0) + (states["waiting-children"] ?? 0) > 0) return false;
      }
      return true;
    };
    const scrape = async () => {
      const url = daemon?.opsUrl;
      if (!url) return;
      const text = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.text(), () => "");
      const v = /^intake_nodejs_eventloop_lag_p99_seconds\s+([0-9.e+-]+)/m.exec(text)?.[1];
      if (v) lagP99.push(Number(v) * 1000);
    };
    const scraper = setInterval(() => void scrape(), 5_000);

    let killsDone = 0;
    let finished = false;
    daemon = start();
    try {
      while (Date.now() - started < opts.timeoutMs) {
        if (killsDone < opts.kills) {
          const gap = 3_000 + rng() * ((opts.maxGapMs ?? 40_000) - 3_000);
          const until = Date.now() + gap;
          while (Date.now() < until && !(await isDone())) await sleep(500);
          if (await isDone()) {
            finished = true;
            break;
          }
          await killGroup(daemon, "SIGKILL");
          killsDone++;
          say(`kill ${killsDone}/${opts.kills} after ${Math.round(gap / 1000)}s`);
          daemon = start();
          continue;
        }
        if (await isDone()) {
          finished = true;
          break;
        }
        await sleep(1_000);
      }
      // Let a receipt job that was about to run do so before counting.
      await sleep(3_000);
    } finally {
      clearInterval(scraper);
      // One SIGTERM to the group, as systemd sends it: a graceful stop.
      if (daemon) await killGroup(daemon, "SIGTERM");
    }

    const records = new Map<string, MessageResult>();
    for (const key of deliveredAt.keys()) {
      const rec = await archive.readRecord(key).catch(() => null);
      if (rec) records.set(key, rec);
    }
    const strayRecords = (await archive.listMessages()).filter((k) => !deliveredAt.has(k));

    // The sent-log names each receipt's Message-ID; the peer's copies are matched by it.
    const byId = new Map<string, { ackKey: string; messageKey: string }>();
    for (const name of await readdir(join(archiveDir, "acks")).catch(() => [] as string[])) {
      if (!name.endsWith(".json")) continue;
      const e = JSON.parse(await readFile(join(archiveDir, "acks", name), "utf8")) as { ackKey: string; messageKey: string; messageId: string | null };
      if (e.messageId) byId.set(e.messageId.replace(/^<|>$/g, ""), { ackKey: e.ackKey, messageKey: e.messageKey });
    }
    const receipts = new Map<string, Receipt>();
    let unknownReceipts = 0;
    for (const c of smtp.received) {
      const who = byId.get(c.messageId);
      if (!who) {
        unknownReceipts++;
        continue;
      }
      const r = receipts.get(who.ackKey);
      if (r) {
        r.accepted++;
        if (!r.messageIds.includes(c.messageId)) r.messageIds.push(c.messageId);
      } else {
        receipts.set(who.ackKey, { ackKey: who.ackKey, messageKey: who.messageKey, messageIds: [c.messageId], accepted: 1, text: await bodyText(c), firstAcceptedAt: c.acceptedAt });
      }
    }
    const latencies = [...receipts.values()].map((r) => r.firstAcceptedAt - (deliveredAt.get(r.messageKey) ?? r.firstAcceptedAt));
    const windows: number[] = [];
    for (const r of receipts.values()) {
      const line = sentLines.get(r.ackKey);
      if (line) windows.push(line - r.firstAcceptedAt);
    }
    return {
      seed: opts.seed,
      killsDone,
      durationMs: Date.now() - started,
      delivered: [...deliveredAt.keys()],
      records,
      strayRecords,
      receipts,
      unknownReceipts,
      latencies,
      windows,
      lagP99,
      finished,
      archiveDir,
      logLines,
      duplicateKeyLines,
    };
  } finally {
    if (daemon) await killGroup(daemon, "SIGKILL");
    logFile.end();
    for (const n of ["parse", "scan", "assemble", "ack"] as const) await queues.queue(n).obliterate({ force: true }).catch(() => undefined);
    await queues.close();
    await smtp.close();
    for (const u of users.values()) await removeMailUser(u.user).catch(() => undefined);
  }
}

async function bodyText(c: Captured): Promise<string> {
  const m = await simpleParser(c.raw);
  return (m.text ?? "").trim();
}

export interface Comparison {
  recordsLost: number;
  recordsDuplicated: number;
  /** Records whose kind, receipt decision or flags differ from the clean run. */
  recordsDiffering: string[];
  receiptsLost: string[];
  /** Receipts the peer accepted more than once (same Message-ID: the stated crash guarantee). */
  receiptsDuplicated: string[];
  /** Receipts sent under two different Message-IDs: never allowed. */
  receiptsWithTwoIds: string[];
  /** Receipts whose text (what they ask of the applicant) differs from the clean run's. */
  receiptsDiffering: string[];
  /** Receipts the clean run did not send. */
  receiptsExtra: string[];
}

const recordShape = (r: MessageResult) =>
  JSON.stringify({ kind: r.kind, ack: r.ack, error: r.error ?? null, subs: r.submissions.map((s) => [...s.flags].sort()) });

export function compare(clean: RunResult, run: RunResult): Comparison {
  const recordsLost = run.delivered.filter((k) => !run.records.has(k)).length;
  const recordsDiffering = [...clean.records].filter(([k, r]) => run.records.has(k) && recordShape(run.records.get(k)!) !== recordShape(r)).map(([k]) => k);
  const receiptsLost = [...clean.receipts.keys()].filter((k) => !run.receipts.has(k));
  const receiptsExtra = [...run.receipts.keys()].filter((k) => !clean.receipts.has(k));
  const receiptsDuplicated = [...run.receipts.values()].filter((r) => r.accepted > 1).map((r) => r.ackKey);
  const receiptsWithTwoIds = [...run.receipts.values()].filter((r) => r.messageIds.length > 1).map((r) => r.ackKey);
  const receiptsDiffering = [...run.receipts.values()].filter((r) => clean.receipts.has(r.ackKey) && clean.receipts.get(r.ackKey)!.text !== r.text).map((r) => r.ackKey);
  return { recordsLost, recordsDuplicated: run.strayRecords.length, recordsDiffering, receiptsLost, receiptsDuplicated, receiptsWithTwoIds, receiptsDiffering, receiptsExtra };
}

export function summary(label: string, run: RunResult, cmp: Comparison | null): string {
  const ms = (v: number | null) => (v === null ? "-" : `${(v / 1000).toFixed(1)}s`);
  const lines = [
    `${label}: seed ${run.seed}, ${run.killsDone} kills, ${(run.durationMs / 1000).toFixed(0)}s${run.finished ? "" : " (NOT FINISHED before the timeout)"}`,
    `  ${run.delivered.length} emails, ${run.records.size} records, ${run.receipts.size} receipts`,
  ];
  if (cmp) {
    lines.push(
      `  records lost ${cmp.recordsLost}, duplicated ${cmp.recordsDuplicated}, unlike the clean run ${cmp.recordsDiffering.length}`,
      `  receipts lost ${cmp.receiptsLost.length}, duplicated ${cmp.receiptsDuplicated.length} (under two Message-IDs ${cmp.receiptsWithTwoIds.length}), unlike the clean run ${cmp.receiptsDiffering.length}, not in the clean run ${cmp.receiptsExtra.length}`,
    );
  }
  lines.push(
    `  mail→receipt p50 ${ms(percentile(run.latencies, 50))}, p95 ${ms(percentile(run.latencies, 95))}`,
    `  crash window (SMTP accepted → sent-log "sent"): p50 ${percentile(run.windows, 50) ?? "-"} ms, p95 ${percentile(run.windows, 95) ?? "-"} ms, max ${percentile(run.windows, 100) ?? "-"} ms`,
    `  log: ${run.logLines} JSON lines, ${run.duplicateKeyLines} with messageKey twice`,
    `  event-loop lag p99 per 5 s window: median ${percentile(run.lagP99, 50)?.toFixed(0) ?? "-"} ms, max ${percentile(run.lagP99, 100)?.toFixed(0) ?? "-"} ms`,
  );
  return lines.join("\n");
}
