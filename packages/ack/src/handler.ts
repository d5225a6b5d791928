import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { applyCorrections, type Journal } from "@intake/review";
import { IntakeError, isIntakeError, type Call, type MessageResult } from "@intake/schema";
import { composeAck } from "./compose.js";
import { ackMessageId, ackReference } from "./ids.js";
import type { Mailer } from "./mailer.js";
import { readOriginal, type OriginalMessage } from "./original.js";
import { chooseRecipient } from "./recipient.js";
import { releaseLock, renewLock, takeLock, takeRateSlot } from "./rate-limit.js";
import { readAckLog, writeAckFailed, writeAckLog, type AckLogEntry, type AckReason } from "./sent-log.js";
import type { AckStore } from "./store.js";

export interface AckHandlerDeps {
  store: AckStore;
  mailer: Mailer;
  call: Call;
  /** Redis for the per-recipient rate limit and the send lock; without it neither applies. */
  redis?: Redis;
  /** Receipts per recipient per hour; default 20. Beyond it a receipt is deferred (SMTP_TEMPORARY), not dropped. */
  rateLimit?: { perRecipientPerHour: number };
  /** Prefix of this handler's Redis keys; default "intake:ack:". */
  redisPrefix?: string;
  logger?: Logger;
  /** The clock; default `() => new Date()`. */
  now?: () => Date;
  /**
   * Told after every SMTP transaction: ok when the server took the receipt or
   * refused it for good (it answered), not ok when it could not be reached or
   * deferred it; for health checks. Default none.
   */
  onSmtpResult?: (ok: boolean, err?: Error) => void;
  /** The reviewers' journal: every receipt says what the record ⊕ its corrections say. Default: the record alone. */
  journal?: Pick<Journal, "forMessage">;
}

export interface AckPayload {
  messageKey: string;
  /** "new" (default), "update" (a follow-up completed the submission: its own receipt), "resend" (ops), "correction" (a reviewer's 更正回执). */
  reason?: AckReason;
  /** For "correction": the journal entry that asked for it (each is sent once). */
  correction?: string;
}

export interface AckJobContext {
  /** Attempts already made before this one (BullMQ's attemptsMade); default job.attemptsMade or 0. */
  attemptsMade?: number;
  /** Attempts the job runner allows in all; default job.opts.attempts, else unknown (never "last"). */
  maxAttempts?: number;
  /** The BullMQ job, when run by a worker. */
  job?: { id?: string; attemptsMade?: number; opts?: { attempts?: number } };
  logger?: Logger;
}

export interface AckOutcome {
  sent: boolean;
  why: string;
}

/**
 * The send lock lives only as long as the job holding it: it expires after
 * LOCK_TTL_MS unless renewed, and the running handler renews it every
 * LOCK_RENEW_MS. A worker that dies mid-send stops renewing, so its lock is
 * gone within LOCK_TTL_MS — before BullMQ hands the stalled job on.
 */
const LOCK_TTL_MS = 30_000;
const LOCK_RENEW_MS = 10_000;

/** The key of one receipt: the message key, or its own key for an updated receipt. */
export function ackKeyOf(payload: AckPayload): string {
  if (payload.reason === "correction") return `${payload.messageKey}.correction-${payload.correction ?? "0"}`;
  return payload.reason === "update" ? `${payload.messageKey}.update` : payload.messageKey;
}

/**
 * The receipt job: at most one receipt per message key, even across retries,
 * restarts and the same email arriving in both mailboxes.
 *
 * Crash safety: the sent-log entry is written as "sending", with the
 * Message-ID the receipt carries, BEFORE the SMTP transaction, and as "sent"
 * after. If the process dies in between, the next attempt finds "sending"
 * and cannot know whether the server took the message (SMTP offers no way to
 * ask); it resends with the SAME Message-ID, so a receiving system that
 * de-duplicates by Message-ID shows one receipt. We prefer a rare duplicate
 * to a lost receipt: the applicant must learn what is missing.
 */
export function createAckHandler(deps: AckHandlerDeps) {
  const prefix = deps.redisPrefix ?? "intake:ack:";
  const perHour = deps.rateLimit?.perRecipientPerHour ?? 20;
  const clock = deps.now ?? (() => new Date());

  return async function handleAck(payload: AckPayload, ctx: AckJobContext = {}): Promise<AckOutcome> {
    const reason: AckReason = payload.reason ?? "new";
    const ackKey = ackKeyOf(payload);
    const attemptsMade = ctx.attemptsMade ?? ctx.job?.attemptsMade ?? 0;
    const maxAttempts = ctx.maxAttempts ?? ctx.job?.opts?.attempts;
    const lastAttempt = maxAttempts !== undefined && attemptsMade + 1 >= maxAttempts;
    const base = ctx.logger ?? deps.logger;
    // The job's logger already names the message; a second messageKey would repeat the key in one JSON line.
    const log = base?.child({ ...(base.bindings().messageKey === payload.messageKey ? {} : { messageKey: payload.messageKey }), ackKey, reason, attemptsMade });

    const token = randomUUID();
    const lockKey = `${prefix}lock:${ackKey}`;
    const redis = deps.redis;
    if (redis && !(await takeLock(redis, lockKey, token, LOCK_TTL_MS))) {
      throw new IntakeError("SMTP_TEMPORARY", "this receipt is being sent by another worker");
    }
    const renew = redis
      ? setInterval(() => {
          renewLock(redis, lockKey, token, LOCK_TTL_MS).catch((err: unknown) => log?.warn({ err }, "receipt lock not renewed"));
        }, LOCK_RENEW_MS)
      : null;
    try {
      const outcome = await run(payload.messageKey, ackKey, reason, lastAttempt, log);
      log?.info({ sent: outcome.sent, why: outcome.why }, "receipt");
      return outcome;
    } finally {
      if (renew) clearInterval(renew);
      if (redis) await releaseLock(redis, lockKey, token).catch(() => undefined);
    }
  };

  async function run(
    messageKey: string,
    ackKey: string,
    reason: AckReason,
    lastAttempt: boolean,
    log?: Logger,
  ): Promise<AckOutcome> {
    const machine = await deps.store.readRecord(messageKey);
    if (!machine) throw new IntakeError("MESSAGE_NOT_FOUND", `no record for ${messageKey}`);
    // Reviewers' corrections are part of what the record says; the machine's file stays as it was.
    const record = deps.journal ? applyCorrections(machine, await deps.journal.forMessage(messageKey)).record : machine;
    const prior = await readAckLog(deps.store, ackKey);

    if (prior?.status === "sent" && reason !== "resend") return { sent: false, why: "already-sent" };
    if (prior?.status === "failed" && reason !== "resend") return { sent: false, why: "failed-earlier" };
    if (!record.ack || record.kind !== "submission") return { sent: false, why: `not-acknowledged:${record.kind}` };

    const original = await originalOf(messageKey, record, log);
    const now = clock();
    const reference = ackReference(deps.call, messageKey);
    const resends = prior ? prior.resends + (prior.status === "sent" ? 1 : 0) : 0;
    // An unsent receipt keeps the Message-ID it was first given (see above);
    // only a deliberate resend of a delivered one gets a new id.
    const messageId =
      prior?.messageId && prior.status !== "sent" ? prior.messageId : ackMessageId(deps.call, ackKey, resends);
    const base: AckLogEntry = {
      ackKey,
      messageKey,
      reason,
      status: "sending",
      messageId,
      to: null,
      reference,
      attempts: prior?.attempts ?? 0,
      resends,
      updatedAt: now.toISOString(),
    };

    const ack = composeAck({ record, original, call: deps.call, reference, now, messageId, correction: reason === "correction" });
    if (!ack) {
      const why = chooseRecipient(original, deps.call).why;
      await writeAckLog(deps.store, { ...base, status: "suppressed", why });
      return { sent: false, why };
    }
    const entry: AckLogEntry = { ...base, to: ack.to, subject: ack.subject };

    // A retry after a crash mid-send was already counted; ops resends are deliberate.
    const counted = prior?.status === "sending" || reason === "resend";
    if (deps.redis && !counted && !(await takeRateSlot(deps.redis, prefix, ack.to, perHour, now))) {
      // Over the limit the receipt waits, it is not dropped: a unit that really
      // sends many projects gets every receipt, a flood only slowly. The job
      // runner retries with backoff; after the last attempt ops see it.
      const limited: AckLogEntry = { ...entry, status: "suppressed", why: "rate-limited" };
      await writeAckLog(deps.store, limited);
      if (lastAttempt) await writeAckFailed(deps.store, limited);
      throw new IntakeError("SMTP_TEMPORARY", `rate limit of ${perHour} receipts an hour reached for this recipient`);
    }

    entry.attempts += 1;
    await writeAckLog(deps.store, entry);
    try {
      const res = await deps.mailer.send(ack, ackKey);
      deps.onSmtpResult?.(true);
      await writeAckLog(deps.store, {
        ...entry,
        status: "sent",
        why: undefined,
        response: res.response,
        sentAt: clock().toISOString(),
        updatedAt: clock().toISOString(),
      });
      return { sent: true, why: reason };
    } catch (e) {
      const err = isIntakeError(e) ? e : new IntakeError("SMTP_TEMPORARY", String(e), { cause: e });
      // A permanent refusal is the server answering about one address: sending works.
      deps.onSmtpResult?.(err.code === "SMTP_PERMANENT", err);
      if (err.code === "SMTP_PERMANENT") {
        const failed: AckLogEntry = { ...entry, status: "failed", why: err.message, updatedAt: clock().toISOString() };
        await writeAckLog(deps.store, failed);
        await writeAckFailed(deps.store, failed);
        log?.warn({ err }, "receipt refused permanently");
      } else {
        // Still "sending" with the same Message-ID: the retry sends exactly this receipt.
        const deferred: AckLogEntry = { ...entry, why: err.message, updatedAt: clock().toISOString() };
        await writeAckLog(deps.store, deferred);
        if (lastAttempt) {
          // The job runner gives up after this: ops must see it to resend.
          await writeAckFailed(deps.store, { ...deferred, why: `retries exhausted: ${err.message}` });
          log?.warn({ err }, "receipt not delivered after the last attempt");
        } else {
          log?.info({ err }, "receipt deferred");
        }
      }
      throw err;
    }
  }

  async function originalOf(messageKey: string, record: MessageResult, log?: Logger): Promise<OriginalMessage> {
    const raw = await deps.store.readRaw(messageKey).catch((e: unknown) => {
      log?.warn({ err: e }, "raw email unreadable; using the record's headers");
      return null;
    });
    if (raw) return readOriginal(raw);
    // Without the raw email the record's own kind already excludes machine mail.
    const from = /<([^<>]+)>\s*$/.exec(record.from ?? "")?.[1] ?? record.from ?? null;
    return { messageId: record.messageId, subject: record.subject ?? null, from, replyTo: null, references: [] };
  }
}
