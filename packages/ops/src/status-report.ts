import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Job } from "bullmq";
import { readArchiveStats, safeSegment, type Archive, type ArchiveStats } from "@intake/archive";
import { createQueues, JOB_NAMES, redisOptionsFromUrl, type JobName } from "@intake/jobs";
import type { Settings } from "@intake/schema";
import { mailboxProblem, readMailboxHealth, readSmtpHealth, smtpProblem, type SmtpHealth } from "./health/health-files.js";
import { probeRedis } from "./redis-probe.js";

export interface MailboxStatus {
  id: string;
  /** "user on host:port/folder" */
  address: string;
  checkpoint: { uidValidity: string; lastUid: number } | null;
  /** When the checkpoint last moved (the last poll that took mail), ISO 8601. */
  checkpointAt: string | null;
  /** When the newest message from this mailbox was taken, ISO 8601. */
  lastMessageAt: string | null;
  /** Messages taken from this mailbox. */
  messages: number;
  /** When the daemon last checked the folder successfully (ISO 8601), null when never. */
  lastPollAt: string | null;
  /** What the daemon's watcher last reported as wrong, if anything. */
  failure: string | null;
  /** Why this mailbox needs attention (not checked for 3 poll intervals), null when fine. */
  problem: string | null;
}

export interface FailedJob {
  queue: JobName;
  id: string;
  messageKey: string | null;
  attempts: number;
  reason: string;
  failedAt: string | null;
}

export interface IntakeStatus {
  archive: { root: string } & ArchiveStats;
  mailboxes: MailboxStatus[];
  redis: { url: string; ok: boolean; error?: string };
  /** Job counts per queue and state; null when Redis is unreachable. */
  queues: Record<string, Record<string, number>> | null;
  failedJobs: FailedJob[];
  /** Receipts: the last SMTP success and failure the daemon saw, and why sending needs attention. */
  smtp: { mode: "smtp" | "outbox" } & SmtpHealth & { problem: string | null };
}

export interface StatusOptions {
  settings: Settings;
  archive: Archive;
  /** Failed jobs listed per queue; default 20. */
  failedLimit?: number;
}

/** Redis URL with the password masked, for printing. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(invalid URL)";
  }
}

async function mtime(path: string): Promise<string | null> {
  try {
    return (await stat(path)).mtime.toISOString();
  } catch {
    return null;
  }
}

async function mailboxStatus(settings: Settings, archive: Archive, now: number): Promise<MailboxStatus[]> {
  const latest = new Map<string, { at: string; n: number }>();
  for (const key of await archive.listMessages()) {
    for (const s of await archive.sightings(key).catch(() => [])) {
      const cur = latest.get(s.mailbox) ?? { at: "", n: 0 };
      latest.set(s.mailbox, { at: s.seenAt > cur.at ? s.seenAt : cur.at, n: cur.n + 1 });
    }
  }
  const out: MailboxStatus[] = [];
  for (const m of settings.mailboxes) {
    const checkpoint = await archive.getCheckpoint(m.id).catch(() => null);
    // The checkpoint's file name is the archive's business; its mtime says when it last moved.
    const cpFile = checkpoint ? await findCheckpointFile(archive, m.id) : null;
    const health = await readMailboxHealth(archive, m.id);
    out.push({
      id: m.id,
      address: `${m.user} on ${m.host}:${m.port}/${m.folder}`,
      checkpoint,
      checkpointAt: cpFile ? await mtime(cpFile) : null,
      lastMessageAt: latest.get(m.id)?.at || null,
      messages: latest.get(m.id)?.n ?? 0,
      lastPollAt: health?.lastPollAt ?? null,
      failure: health?.failure?.message ?? null,
      problem: mailboxProblem(health, settings.poll.intervalSeconds * 1000, now),
    });
  }
  return out;
}

async function findCheckpointFile(archive: Archive, mailbox: string): Promise<string | null> {
  const dir = join(archive.root, "checkpoints");
  const names = await readdir(dir).catch(() => [] as string[]);
  const hit = names.find((n) => n.startsWith(`${safeSegment(mailbox)}-`) && n.endsWith(".json"));
  return hit ? join(dir, hit) : null;
}

function failedJob(queue: JobName, job: Job): FailedJob {
  const key = (job.data as { messageKey?: unknown } | undefined)?.messageKey;
  return {
    queue,
    id: String(job.id),
    messageKey: typeof key === "string" ? key : null,
    attempts: job.attemptsMade,
    reason: (job.failedReason ?? "").slice(0, 300),
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  };
}

/** Whether `intake status` must exit 1: anything an operator must act on. */
export function needsAttention(st: IntakeStatus): boolean {
  return (
    !st.redis.ok ||
    st.failedJobs.length > 0 ||
    st.archive.failedReceipts.length > 0 ||
    st.archive.unparsable.length > 0 ||
    st.mailboxes.some((m) => m.problem) ||
    !!st.smtp.problem
  );
}

/** Everything `intake status` shows: from the archive always, from Redis when it answers. */
export async function collectStatus(opts: StatusOptions): Promise<IntakeStatus> {
  const { settings, archive } = opts;
  const stats = await readArchiveStats(archive);
  const now = Date.now();
  const mailboxes = await mailboxStatus(settings, archive, now);
  const probe = await probeRedis(settings.redis.url);
  const smtp = await readSmtpHealth(archive);
  const status: IntakeStatus = {
    archive: { root: archive.root, ...stats },
    mailboxes,
    redis: { url: maskUrl(settings.redis.url), ok: probe.ok, ...(probe.error ? { error: probe.error } : {}) },
    queues: null,
    failedJobs: [],
    smtp: { mode: settings.smtp.mode, ...smtp, problem: smtpProblem(smtp) },
  };
  if (!probe.ok) return status;
  const queues = createQueues({ connection: redisOptionsFromUrl(settings.redis.url, { maxRetriesPerRequest: 1 }), prefix: settings.redis.prefix });
  try {
    status.queues = await queues.counts();
    for (const name of JOB_NAMES) {
      const jobs = await queues.queue(name).getFailed(0, (opts.failedLimit ?? 20) - 1);
      status.failedJobs.push(...jobs.filter(Boolean).map((j) => failedJob(name, j)));
    }
  } finally {
    await queues.close();
  }
  return status;
}
