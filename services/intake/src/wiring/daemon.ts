import { ImapPoller, type MailSource } from "@intake/mail";
import { Archive } from "@intake/archive";
import { createQueues, createRedisConnections, startWorkers, type JobName } from "@intake/jobs";
import { createMetrics, instrumentHandlers, instrumentIngest } from "@intake/metrics";
import { archiveReady, createDaemonHealth, redisReady, startOpsServer, startSmtpProbe, type OpsServer } from "@intake/ops";
import { createIngest } from "@intake/pipeline";
import { mailboxEnvPrefix, type Call, type Settings } from "@intake/schema";
import { loadHandlers } from "./handlers.js";
import type { Logger } from "./logger.js";

/** What one process does: watch the mailboxes ("poll") and/or work on some queues. */
export type Role = "poll" | JobName;
export const ALL_ROLES: readonly Role[] = ["poll", "parse", "scan", "assemble", "ack"];

export interface DaemonOptions {
  settings: Settings;
  call: Call;
  logger: Logger;
  /** Default every role. */
  roles?: readonly Role[];
  /** Called between a message's archive write and its enqueue (crash drills); default none. */
  afterArchive?: (messageKey: string) => void | Promise<void>;
}

export interface Daemon {
  /** Stops polling, lets running jobs finish (or, with force, hands them back to the queue) and closes every connection. */
  stop(force?: boolean): Promise<void>;
}

/** Wires settings into the archive, Redis, the queues, the mailbox watchers and the workers. */
export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const { settings, call, logger } = opts;
  const roles = opts.roles ?? ALL_ROLES;
  const archive = new Archive({ root: settings.archive.dir, logger });
  await archive.init();
  const redis = createRedisConnections(settings.redis.url, logger);
  const prefix = settings.redis.prefix;
  const queues = createQueues({ connection: redis.producer, prefix });
  const metrics = createMetrics({ queues, archive, logger });
  const health = createDaemonHealth({ archive, pollIntervalMs: settings.poll.intervalSeconds * 1000, logger });

  const pollers: MailSource[] = [];
  if (roles.includes("poll")) {
    const ingest = instrumentIngest(createIngest({ archive, queues, logger, ...(opts.afterArchive ? { afterArchive: opts.afterArchive } : {}) }), metrics);
    const checkpoints = { get: (m: string) => archive.getCheckpoint(m), set: (m: string, cp: { uidValidity: string; lastUid: number }) => archive.setCheckpoint(m, cp) };
    for (const m of settings.mailboxes) {
      const poller = new ImapPoller({
        mailbox: m.id,
        host: m.host,
        port: m.port,
        secure: m.tls,
        user: m.user,
        password: m.password!,
        folder: m.folder,
        markHandled: settings.markHandled,
        checkpoints,
        onMessage: ingest,
        intervalMs: settings.poll.intervalSeconds * 1000,
        maxMessageBytes: settings.poll.maxMessageBytes,
        authHint: `check ${mailboxEnvPrefix(m.id)}PASSWORD (or _PASSWORD_FILE) and ${mailboxEnvPrefix(m.id)}USER`,
        onHealth: (h) => health.mailbox(h),
        logger,
      });
      poller.start();
      pollers.push(poller);
    }
  }

  const jobRoles = roles.filter((r): r is JobName => r !== "poll");
  const loaded = jobRoles.length
    ? await loadHandlers(jobRoles, { settings, call, archive, queues, redis: redis.client, logger, onSmtpResult: (ok, err) => health.smtp(ok, err) })
    : null;
  const verifySmtp = loaded?.verifySmtp;
  const stopProbe = verifySmtp ? startSmtpProbe({ verify: verifySmtp, health }) : () => undefined;
  const workers = startWorkers({ connection: redis.worker, prefix, roles: jobRoles, handlers: instrumentHandlers(loaded?.handlers ?? {}, metrics), logger });
  let ops: OpsServer | null = null;
  if (settings.ops.enabled) {
    try {
      ops = await startOpsServer({
        host: settings.ops.host,
        port: settings.ops.port,
        registry: metrics.registry,
        readiness: [
          redisReady(redis.client),
          archiveReady(settings.archive.dir),
          ...health.checks(
            pollers.map((p) => p.mailbox),
            !!verifySmtp,
          ),
        ],
        logger,
      });
    } catch (err) {
      // Mail intake matters more than its dashboard: a busy port is logged, not fatal.
      logger.error({ err, port: settings.ops.port }, "health and metrics endpoint could not start");
    }
  }
  logger.info({ roles, mailboxes: settings.mailboxes.map((m) => m.id), archive: settings.archive.dir, prefix }, "intake daemon started");

  return {
    async stop(force = false) {
      stopProbe();
      await Promise.allSettled(pollers.map((p) => p.stop()));
      await ops?.close();
      await workers.close(force);
      await loaded?.close();
      await queues.close();
      await redis.close();
    },
  };
}
