import type { Logger } from "pino";
import type { MailboxHealth } from "@intake/mail";
import type { Archive } from "@intake/archive";
import { mailboxProblem, smtpProblem, writeMailboxHealth, writeSmtpEvent, type SmtpHealth } from "./health-files.js";

export interface HealthCheck {
  name: string;
  /** Resolves when healthy, with what it saw; throws with what is wrong. */
  check(): Promise<string>;
}

export interface DaemonHealthOptions {
  archive: Archive;
  /** The poll interval: a mailbox not checked for 3 of them is unhealthy. */
  pollIntervalMs: number;
  logger: Logger;
  /** Least time between two writes of an unchanged mailbox state to the archive, in ms; default min(15 s, interval). */
  writeEveryMs?: number;
}

/**
 * The daemon's own view of its connections: fed by the mailbox watchers and
 * the receipt sender, kept in memory for /readyz and mirrored to the archive
 * for `intake status`.
 */
export function createDaemonHealth(opts: DaemonHealthOptions) {
  const startedAt = Date.now();
  const mailboxes = new Map<string, MailboxHealth>();
  const written = new Map<string, { at: number; state: string }>();
  const smtp: SmtpHealth = { lastSuccessAt: null, lastFailureAt: null, lastError: null };
  const every = opts.writeEveryMs ?? Math.min(15_000, opts.pollIntervalMs);
  const warn = (err: unknown) => opts.logger.warn({ err }, "health state not written to the archive");

  return {
    /** For ImapPoller's onHealth. */
    mailbox(h: MailboxHealth): void {
      mailboxes.set(h.mailbox, h);
      const state = h.failure ? `${h.failure.kind}` : "ok";
      const last = written.get(h.mailbox);
      if (last && last.state === state && Date.now() - last.at < every) return;
      written.set(h.mailbox, { at: Date.now(), state });
      writeMailboxHealth(opts.archive, h).catch(warn);
    },
    /** For the receipt handler's onSmtpResult. */
    smtp(ok: boolean, err?: Error): void {
      const at = new Date().toISOString();
      if (ok) smtp.lastSuccessAt = at;
      else {
        smtp.lastFailureAt = at;
        smtp.lastError = err?.message ?? null;
      }
      writeSmtpEvent(opts.archive, ok, err).catch(warn);
    },
    smtpState: (): SmtpHealth => ({ ...smtp }),
    /** /readyz checks: one per watched mailbox, and SMTP when this process sends receipts. */
    checks(watched: readonly string[], sendsReceipts: boolean): HealthCheck[] {
      const out: HealthCheck[] = watched.map((id) => ({
        name: `imap ${id}`,
        async check() {
          const h = mailboxes.get(id) ?? null;
          const why = mailboxProblem(h, opts.pollIntervalMs, Date.now(), startedAt);
          if (why) throw new Error(why);
          return h?.lastPollAt ? `last checked ${h.lastPollAt}` : "starting";
        },
      }));
      if (sendsReceipts) {
        out.push({
          name: "smtp",
          async check() {
            const why = smtpProblem(smtp);
            if (why) throw new Error(why);
            return `last success ${smtp.lastSuccessAt ?? "none yet"}, last failure ${smtp.lastFailureAt ?? "none"}`;
          },
        });
      }
      return out;
    },
  };
}

export type DaemonHealth = ReturnType<typeof createDaemonHealth>;

export interface SmtpProbeOptions {
  /** Checks the server without sending (Mailer.verify). */
  verify(): Promise<void>;
  health: DaemonHealth;
  /** How often to look, in ms; default 60 000. */
  everyMs?: number;
  /** Probe only when nothing has succeeded for this long (or the last attempt failed), in ms; default 300 000. */
  quietMs?: number;
}

/**
 * Receipts are rare: without traffic a dead SMTP server would go unnoticed
 * until the next one. This checks the server while receipts are failing (to
 * see it back) or when none succeeded for a while; one connection a minute
 * at most. Returns a stop function.
 */
export function startSmtpProbe(opts: SmtpProbeOptions): () => void {
  const every = opts.everyMs ?? 60_000;
  const quiet = opts.quietMs ?? 300_000;
  let running = false;
  const tick = async () => {
    const s = opts.health.smtpState();
    const lastOk = s.lastSuccessAt ? Date.parse(s.lastSuccessAt) : 0;
    const failing = !!s.lastFailureAt && Date.parse(s.lastFailureAt) > lastOk;
    if (running || (!failing && Date.now() - lastOk < quiet)) return;
    running = true;
    try {
      await opts.verify();
      opts.health.smtp(true);
    } catch (err) {
      opts.health.smtp(false, err as Error);
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), Math.min(every, 5_000));
  const timer = setInterval(() => void tick(), every);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
