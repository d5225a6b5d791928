import type { Call, Settings } from "@intake/schema";
import type { OcrPool } from "@intake/scan";
import type { Archive, JobHandler, JobName, Queues, RedisConnections } from "@intake/pipeline";
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
}

export interface LoadedHandlers {
  handlers: Handlers;
  /** Releases what the handlers hold (the OCR workers). */
  close(): Promise<void>;
}

/**
 * The job handlers of the roles this process runs. Their packages load only
 * when a role needs them, so a poll-only process never loads OCR or SMTP code,
 * and the OCR model loads on the first scan job, not at start.
 */
export async function loadHandlers(roles: readonly JobName[], deps: HandlerDeps): Promise<LoadedHandlers> {
  const handlers: Handlers = {};
  let pool: Promise<OcrPool> | null = null;

  if (roles.some((r) => r === "parse" || r === "scan" || r === "assemble")) {
    const { createParseHandlers } = await import("@intake/pipeline");
    const ocr = async (): Promise<OcrPool> => {
      const { createOcrPool } = await import("@intake/scan");
      return createOcrPool({ logger: deps.logger });
    };
    const made = createParseHandlers({
      archive: deps.archive,
      call: deps.call,
      logger: deps.logger,
      queues: deps.queues,
      ocr: () => (pool ??= ocr()),
    });
    if (roles.includes("parse")) handlers.parse = made.parse;
    if (roles.includes("scan")) handlers.scan = made.scan;
    if (roles.includes("assemble")) handlers.assemble = made.assemble;
  }

  if (roles.includes("ack")) {
    const { createAckHandler, createMailer } = await import("@intake/ack");
    const { Journal } = await import("@intake/review");
    const s = deps.settings.smtp;
    const mailer = createMailer({
      mode: s.mode,
      from: s.from,
      outboxDir: `${deps.archive.root}/outbox`,
      smtp: { host: s.host, port: s.port, secure: s.secure, ...(s.user && s.pass ? { auth: { user: s.user, pass: s.pass } } : {}) },
    });
    const handle = createAckHandler({
      store: deps.archive,
      mailer,
      call: deps.call,
      redis: deps.redis,
      redisPrefix: `${deps.settings.redis.prefix}:ack:`,
      logger: deps.logger,
      journal: new Journal({ root: deps.archive.root }),
    });
    // The job itself tells the handler its attempt count, so the last failed attempt lands in the failed list.
    handlers.ack = (payload, { job, logger }) => handle(payload, { job, logger });
  }

  return {
    handlers,
    async close() {
      if (pool) await (await pool.catch(() => null))?.close();
    },
  };
}
