import type { Call, Settings } from "@intake/schema";
import type { Archive } from "@intake/archive";
import type { JobHandler, JobName, Queues, RedisConnections } from "@intake/jobs";
import type { PipelineRunner } from "@intake/pipeline";
import type { Logger } from "./logger.js";

type Handlers = Partial<{ [N in JobName]: JobHandler<N> }>;

export interface HandlerDeps {
  settings: Settings;
  call: Call;
  archive: Archive;
  queues: Queues;
  /** A Redis client for the receipt's send lock and rate limit. */
  redis: RedisConnections["client"];
  logger: Logger;
  /** Told after every SMTP transaction of a receipt (health checks). */
  onSmtpResult?: (ok: boolean, err?: Error) => void;
}

export interface LoadedHandlers {
  handlers: Handlers;
  /** Checks that receipts could be sent now; null when this process sends none. */
  verifySmtp: (() => Promise<void>) | null;
  /** Releases what the handlers hold (the scan processes, the SMTP pool). */
  close(): Promise<void>;
}

/**
 * The job handlers of the roles this process runs. Their packages load only
 * when a role needs them, so a poll-only process never loads SMTP code; scans
 * are read in a child process (started on the first scan job), so OCR and
 * image work never hold up this process's event loop.
 */
export async function loadHandlers(roles: readonly JobName[], deps: HandlerDeps): Promise<LoadedHandlers> {
  const handlers: Handlers = {};
  let runner: PipelineRunner | null = null;
  let mailer: { close(): void; verify(): Promise<void> } | null = null;

  if (roles.some((r) => r === "parse" || r === "scan" || r === "assemble")) {
    const { createParseHandlers, createPipelineRunner, createScanProcesses } = await import("@intake/pipeline");
    runner = createPipelineRunner({
      archive: deps.archive,
      call: deps.call,
      logger: deps.logger,
      scans: () => createScanProcesses({ archiveRoot: deps.archive.root, size: 1, logLevel: deps.settings.log.level, logger: deps.logger }),
    });
    const made = createParseHandlers({ runner, queues: deps.queues });
    if (roles.includes("parse")) handlers.parse = made.parse;
    if (roles.includes("scan")) handlers.scan = made.scan;
    if (roles.includes("assemble")) handlers.assemble = made.assemble;
  }

  if (roles.includes("ack")) {
    const { createAckHandler, createMailer } = await import("@intake/ack");
    const { Journal } = await import("@intake/review");
    const s = deps.settings.smtp;
    const m = createMailer({
      mode: s.mode,
      from: s.from,
      outboxDir: `${deps.archive.root}/outbox`,
      smtp: { host: s.host, port: s.port, secure: s.secure, ...(s.user && s.pass ? { auth: { user: s.user, pass: s.pass } } : {}) },
    });
    mailer = m;
    const handle = createAckHandler({
      store: deps.archive,
      mailer: m,
      call: deps.call,
      redis: deps.redis,
      redisPrefix: `${deps.settings.redis.prefix}:ack:`,
      logger: deps.logger,
      journal: new Journal({ root: deps.archive.root }),
      ...(deps.onSmtpResult ? { onSmtpResult: deps.onSmtpResult } : {}),
    });
    // The job itself tells the handler its attempt count, so the last failed attempt lands in the failed list.
    handlers.ack = (payload, { job, logger }) => handle(payload, { job, logger });
  }

  const sender = mailer as { verify(): Promise<void> } | null;
  return {
    handlers,
    verifySmtp: sender ? () => sender.verify() : null,
    async close() {
      await runner?.close();
      mailer?.close();
    },
  };
}
