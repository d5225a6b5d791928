import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Logger } from "pino";
import { readArchiveStats, type Archive, type ArchiveStats } from "@intake/archive";
import type { Queues } from "@intake/jobs";

export interface MetricsOptions {
  /** The registry to register on; default a new one. */
  registry?: Registry;
  /** Also export Node's process metrics (CPU, memory, event loop); default true. */
  processMetrics?: boolean;
  /** Read queue depths from these queues at each scrape; default none. */
  queues?: Pick<Queues, "counts">;
  /** Count submissions by flag and receipts by status from this archive; default none. */
  archive?: Pick<Archive, "root">;
  /** Seconds an archive count is reused between scrapes (it reads every record); default 30. */
  archiveCacheSeconds?: number;
  logger?: Logger;
}

/** The daemon's Prometheus metrics. Counters count this process; gauges read shared state (Redis, archive). */
export interface IntakeMetrics {
  registry: Registry;
  /** intake_messages_seen_total{mailbox,new}: messages taken from a mailbox (new="false": already archived). */
  messagesSeen: Counter<"mailbox" | "new">;
  /** intake_job_duration_seconds{queue,outcome}: job run time by queue and completed/failed. */
  jobDuration: Histogram<"queue" | "outcome">;
  /** intake_ocr_seconds: time spent reading one scanned copy (pages, OCR, signature, seal). */
  ocrSeconds: Histogram<string>;
  /** intake_receipts_total{outcome}: receipt jobs by sent / skipped / deferred / failed. */
  receipts: Counter<"outcome">;
  /** intake_queue_jobs{queue,state}: jobs per queue and state. */
  queueJobs: Gauge<"queue" | "state">;
  /** intake_submissions{flag}: archived submissions carrying each flag ("all": every submission). */
  submissions: Gauge<"flag">;
  /** intake_records{kind}: archived records by kind ("pending": archived without a record yet). */
  records: Gauge<"kind">;
  /** intake_receipt_log{status}: receipts in the archive's sent-log by status; "failed-list" = acks-failed/. */
  receiptLog: Gauge<"status">;
  /** intake_mailbox_last_message_timestamp_seconds{mailbox}: when this process last took a message from a mailbox. */
  lastMessage: Gauge<"mailbox">;
}

/** Seconds: jobs range from a few ms (ack) to minutes (OCR of a long scan). */
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** Registers the intake metrics; gauges backed by Redis or the archive are read when scraped. */
export function createMetrics(opts: MetricsOptions = {}): IntakeMetrics {
  const registry = opts.registry ?? new Registry();
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "intake_" });
  const registers = [registry];
  const cacheMs = (opts.archiveCacheSeconds ?? 30) * 1000;
  let cached: { at: number; stats: Promise<ArchiveStats> } | null = null;
  const archiveStats = (): Promise<ArchiveStats> | null => {
    if (!opts.archive) return null;
    if (!cached || Date.now() - cached.at > cacheMs) {
      const stats = readArchiveStats(opts.archive);
      cached = { at: Date.now(), stats };
      // A failed read is not cached, so the next scrape tries again.
      stats.catch(() => {
        cached = null;
      });
    }
    return cached.stats;
  };
  const warn = (err: unknown, what: string): void => opts.logger?.warn({ err }, `metrics: ${what} unavailable`);

  const queueJobs = new Gauge({
    name: "intake_queue_jobs",
    help: "Jobs per queue and state (waiting, active, delayed, failed, completed, …).",
    labelNames: ["queue", "state"] as const,
    registers,
    async collect() {
      if (!opts.queues) return;
      try {
        const counts = await opts.queues.counts();
        this.reset();
        for (const [queue, states] of Object.entries(counts)) {
          for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
        }
      } catch (err) {
        // Redis down: report nothing rather than stale depths.
        this.reset();
        warn(err, "queue depths");
      }
    },
  });

  /** A gauge filled from the archive's counts at each scrape (none when there is no archive or it cannot be read). */
  const archiveGauge = <L extends string>(name: string, help: string, label: L, fill: (s: ArchiveStats) => [string, number][]): Gauge<L> =>
    new Gauge({
      name,
      help,
      labelNames: [label] as const,
      registers,
      async collect() {
        const p = archiveStats();
        if (!p) return;
        try {
          const s = await p;
          this.reset();
          for (const [value, n] of fill(s)) this.set({ [label]: value } as Record<L, string>, n);
        } catch (err) {
          warn(err, "archive counts");
        }
      },
    });

  const submissions = archiveGauge("intake_submissions", 'Archived submissions carrying each flag; flag="all" counts every submission.', "flag", (s) => [
    ["all", s.submissions],
    ...Object.entries(s.byFlag),
  ]);
  const records = archiveGauge(
    "intake_records",
    'Archived records by kind; kind="pending" counts messages archived without a record yet, "unparsable" those the pipeline failed on.',
    "kind",
    (s) => [...Object.entries(s.byKind), ["pending", s.pending.length], ["unparsable", s.unparsable.length]],
  );
  const receiptLog = archiveGauge(
    "intake_receipt_log",
    'Receipts in the archive sent-log by status (sent, sending, suppressed, failed); "failed-list" counts acks-failed/ awaiting ops.',
    "status",
    (s) => [...Object.entries(s.receipts), ["failed-list", s.failedReceipts.length]],
  );

  return {
    registry,
    messagesSeen: new Counter({
      name: "intake_messages_seen_total",
      help: 'Messages taken from each mailbox; new="false" when the archive already held it (the other mailbox, a re-scan).',
      labelNames: ["mailbox", "new"] as const,
      registers,
    }),
    jobDuration: new Histogram({
      name: "intake_job_duration_seconds",
      help: "Job run time by queue and outcome (completed, failed).",
      labelNames: ["queue", "outcome"] as const,
      buckets: JOB_BUCKETS,
      registers,
    }),
    ocrSeconds: new Histogram({
      name: "intake_ocr_seconds",
      help: "Seconds spent reading one scanned copy: pages, OCR, signature and seal.",
      buckets: JOB_BUCKETS,
      registers,
    }),
    receipts: new Counter({
      name: "intake_receipts_total",
      help: "Receipt jobs by outcome: sent, skipped (already sent, suppressed by rule), deferred (will retry), failed (refused for good).",
      labelNames: ["outcome"] as const,
      registers,
    }),
    queueJobs,
    submissions,
    records,
    receiptLog,
    lastMessage: new Gauge({
      name: "intake_mailbox_last_message_timestamp_seconds",
      help: "Unix time this process last took a message from the mailbox.",
      labelNames: ["mailbox"] as const,
      registers,
    }),
  };
}
