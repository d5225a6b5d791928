import { IntakeError, type Call, type Settings } from "@intake/schema";
import type { Archive, JobHandler, JobName, Queues, RedisConnections } from "@intake/pipeline";
import type { Logger } from "./logger.js";

type Handlers = Partial<{ [N in JobName]: JobHandler<N> }>;
type Factory = (deps: Record<string, unknown>) => unknown;

export interface HandlerDeps {
  settings: Settings;
  call: Call;
  archive: Archive;
  queues: Queues;
  /** A Redis client for the receipt's send lock and rate limit. */
  redis: RedisConnections["client"];
  logger: Logger;
}

function factory(mod: Record<string, unknown>, name: string): Factory | null {
  const f = mod[name];
  return typeof f === "function" ? (f as Factory) : null;
}

/**
 * The job handlers of the roles this process runs. The handler packages are
 * loaded only when a role needs them, so a poll-only process never loads
 * OCR or SMTP code; a role whose package offers no handler is logged and
 * its jobs wait for a process that has one.
 */
export async function loadHandlers(roles: readonly JobName[], deps: HandlerDeps): Promise<Handlers> {
  const handlers: Handlers = {};
  if (roles.some((r) => r === "parse" || r === "scan" || r === "assemble")) {
    const pipeline = (await import("@intake/pipeline")) as unknown as Record<string, unknown>;
    const create = factory(pipeline, "createParseHandlers");
    if (create) {
      const ocr = async (): Promise<unknown> => {
        const scan = (await import("@intake/scan")) as unknown as Record<string, unknown>;
        const pool = factory(scan, "createOcrPool");
        if (!pool) throw new IntakeError("OCR_UNAVAILABLE", "the scan package offers no OCR pool");
        return pool({ logger: deps.logger });
      };
      let pool: Promise<unknown> | null = null;
      const made = create({ archive: deps.archive, call: deps.call, logger: deps.logger, queues: deps.queues, ocr: () => (pool ??= ocr()) }) as Handlers;
      if (roles.includes("parse") && made.parse) handlers.parse = made.parse;
      if (roles.includes("scan") && made.scan) handlers.scan = made.scan;
      if (roles.includes("assemble") && made.assemble) handlers.assemble = made.assemble;
    }
  }
  if (roles.includes("ack")) {
    const ack = (await import("@intake/ack")) as unknown as Record<string, unknown>;
    const createAck = factory(ack, "createAckHandler");
    const createMailer = factory(ack, "createMailer");
    if (createAck && createMailer) {
      const s = deps.settings.smtp;
      const mailer = createMailer({
        mode: s.mode,
        from: s.from,
        outboxDir: `${deps.archive.root}/outbox`,
        smtp: { host: s.host, port: s.port, secure: s.secure, ...(s.user && s.pass ? { auth: { user: s.user, pass: s.pass } } : {}) },
      });
      const handle = createAck({ store: deps.archive, mailer, call: deps.call, redis: deps.redis, redisPrefix: `${deps.settings.redis.prefix}:ack:`, logger: deps.logger }) as (
        payload: unknown,
        ctx: { attemptsMade?: number; logger?: Logger },
      ) => Promise<unknown>;
      handlers.ack = (payload, { job, logger }) => handle(payload, { attemptsMade: job.attemptsMade, logger });
    }
  }
  return handlers;
}
