import { ImapFlow, type FetchMessageObject } from "imapflow";
import type { Logger } from "pino";
import { setTimeout as sleep } from "node:timers/promises";
import { IntakeError } from "@intake/schema";
import type { CheckpointStore, MailSource, MessageSink } from "../sources/source.js";
import { DEFAULT_IMAP_BACKOFF, reconnectDelay, type ImapBackoff } from "./backoff.js";
import { classifyImapFailure, describeImapFailure, isConfigFailure, type ImapFailureKind } from "./failure.js";
import { Signal } from "./signal.js";

/** How a mailbox watcher is doing, for health checks (`intake status`, /readyz). */
export interface MailboxHealth {
  mailbox: string;
  /** When a check of the folder last succeeded (ISO 8601), null before the first. */
  lastPollAt: string | null;
  /** When an attempt last failed (ISO 8601). */
  lastFailureAt: string | null;
  /** The trouble it is in now; null once an attempt succeeds. */
  failure: { kind: ImapFailureKind; message: string; since: string; attempts: number } | null;
}

/** How a taken message is marked on the server; \Seen is never touched and nothing is deleted. */
export type MarkHandledMode = { mode: "keyword"; keyword: string } | { mode: "move"; folder: string };

export interface ImapPollerOptions {
  /** The mailbox id, used in logs, sightings and checkpoints. */
  mailbox: string;
  host: string;
  port: number;
  /** Implicit TLS; false for plain IMAP (STARTTLS when offered). */
  secure: boolean;
  user: string;
  password: string;
  /** The folder watched; default "INBOX". */
  folder?: string;
  markHandled: MarkHandledMode;
  checkpoints: CheckpointStore;
  onMessage: MessageSink;
  /** Milliseconds between checks besides IDLE; default 60 000. */
  intervalMs?: number;
  /**
   * Messages larger than this (bytes) are not downloaded: their headers and
   * size go to the sink (as `oversized`) and they stay in the mailbox, unmarked;
   * default 100 MiB.
   */
  maxMessageBytes?: number;
  /** Reconnect backoff; default 10 s doubling to 5 min, refused logins from 1 min. */
  backoff?: ImapBackoff;
  /** Told after every successful check and every change of trouble; default none. */
  onHealth?: (health: MailboxHealth) => void;
  /** Appended to the login-failure message (e.g. which variable holds the password); default none. */
  authHint?: string;
  logger: Logger;
}

/** A failure of the sink (archive, queue), told apart from IMAP trouble in the logs. */
class SinkFailure extends Error {
  constructor(readonly uid: number, cause: unknown) {
    super(`taking message uid ${uid} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

interface Found {
  uid: number;
  size: number;
}

function iso(d: Date | string | undefined): string | undefined {
  if (d === undefined) return undefined;
  const t = d instanceof Date ? d : new Date(d);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

/**
 * Watches one IMAP folder: IDLE where offered plus a periodic STATUS check,
 * a new client for every connection (an ImapFlow cannot reconnect), and a
 * durable UIDVALIDITY/last-UID checkpoint. Each new message goes to the sink
 * first; only then is it marked handled and the checkpoint advanced.
 */
export class ImapPoller implements MailSource {
  readonly mailbox: string;
  private readonly opts: ImapPollerOptions;
  private readonly logger: Logger;
  private signal = new Signal();
  private readonly stopped = new AbortController();
  private stopping = false;
  private running: Promise<void> | null = null;
  private folderReady = false;
  private state: MailboxHealth;
  /** Failed attempts in a row, whatever their kind: what the backoff counts. */
  private failuresInARow = 0;

  constructor(opts: ImapPollerOptions) {
    this.opts = opts;
    this.mailbox = opts.mailbox;
    this.logger = opts.logger.child({ mailbox: opts.mailbox });
    this.state = { mailbox: opts.mailbox, lastPollAt: null, lastFailureAt: null, failure: null };
  }

  /** The watcher's health now. */
  health(): MailboxHealth {
    return { ...this.state, failure: this.state.failure ? { ...this.state.failure } : null };
  }

  start(): void {
    if (!this.running) this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    this.signal.notify();
    await this.running;
  }

  private get folder(): string {
    return this.opts.folder ?? "INBOX";
  }

  private async loop(): Promise<void> {
    const backoff = this.opts.backoff ?? DEFAULT_IMAP_BACKOFF;
    while (!this.stopping) {
      // A signal per connection: an old client's close must not cut the next wait short.
      const signal = (this.signal = new Signal());
      const client = new ImapFlow({
        host: this.opts.host,
        port: this.opts.port,
        secure: this.opts.secure,
        auth: { user: this.opts.user, pass: this.opts.password },
        logger: false,
        connectionTimeout: 30_000,
        greetingTimeout: 16_000,
        // IDLE soon after each check, so new mail is announced within seconds (imapflow waits 15 s by default).
        autoIdleDelay: 1_000,
        maxLiteralSize: (this.opts.maxMessageBytes ?? 100 * 1024 * 1024) + 1024 * 1024,
      });
      // Without an error listener a socket timeout would crash the process; the failure itself is logged once, below.
      client.on("error", (err: Error) => this.logger.debug({ err }, "IMAP connection error"));
      client.on("exists", () => signal.notify());
      // Wakes the wait between checks so a dropped connection is noticed at once.
      client.on("close", () => signal.notify());
      let failed = false;
      try {
        await client.connect();
        this.folderReady = false;
        let first = true;
        while (!this.stopping && client.usable) {
          await this.sync(client);
          this.polled(first);
          first = false;
          if (this.stopping) break;
          await signal.wait(this.opts.intervalMs ?? 60_000);
        }
        if (!this.stopping) this.logger.warn("IMAP connection closed; reconnecting");
      } catch (err) {
        if (!this.stopping) {
          failed = true;
          this.failed(err);
        }
      } finally {
        await this.close(client);
      }
      if (this.stopping) break;
      // Backoff only after a failure; a connection that worked and closed is reopened after the short wait.
      const f = this.state.failure;
      const delay = failed && f ? reconnectDelay(this.failuresInARow, isConfigFailure(f.kind) ? "config" : "transient", backoff) : backoff.minMs / 2;
      await sleep(delay, undefined, { signal: this.stopped.signal }).catch(() => undefined);
    }
    this.logger.info("IMAP watcher stopped");
  }

  /** A check succeeded: one line when this ends a spell of trouble (or is the first), none otherwise. */
  private polled(firstOfConnection: boolean): void {
    const was = this.state.failure;
    this.failuresInARow = 0;
    this.state = { ...this.state, lastPollAt: new Date().toISOString(), failure: null };
    if (was) this.logger.info({ after: was.kind, attempts: was.attempts, since: was.since }, `IMAP mailbox ${this.mailbox} reachable again after ${was.attempts} failed attempts`);
    else if (firstOfConnection) this.logger.info({ host: this.opts.host, port: this.opts.port }, "IMAP connected");
    this.opts.onHealth?.(this.health());
  }

  /** One log line per change of trouble; repeats of the same trouble go to debug. */
  private failed(err: unknown): void {
    const now = new Date().toISOString();
    const kind: ImapFailureKind = err instanceof SinkFailure ? "sink" : classifyImapFailure(err);
    const prev = this.state.failure;
    const attempts = prev && prev.kind === kind ? prev.attempts + 1 : 1;
    this.failuresInARow++;
    const where = `${this.opts.user} at ${this.opts.host}:${this.opts.port}`;
    let message: string;
    let logged: { err: unknown; code: string; uid?: number };
    if (err instanceof SinkFailure) {
      message = `${err.message}; it stays unmarked and is taken again after reconnecting`;
      logged = { err: err.cause, code: "SINK", uid: err.uid };
    } else {
      const e = describeImapFailure(kind, err, { mailbox: this.mailbox, where, folder: this.folder, ...(this.opts.authHint ? { authHint: this.opts.authHint } : {}) });
      message = e.message;
      logged = { err: e, code: e.code };
    }
    this.state = { ...this.state, lastFailureAt: now, failure: { kind, message, since: prev && prev.kind === kind ? prev.since : now, attempts } };
    const b = this.opts.backoff ?? DEFAULT_IMAP_BACKOFF;
    if (attempts === 1) {
      this.logger.error({ ...logged, failure: kind }, `${message} (retrying with backoff up to ${Math.round(b.maxMs / 1000)}s; repeats are not logged)`);
    } else {
      this.logger.debug({ ...logged, failure: kind, attempts }, message);
    }
    this.opts.onHealth?.(this.health());
  }

  private async close(client: ImapFlow): Promise<void> {
    if (client.usable) {
      // LOGOUT can hang on a dead socket; close() ends it regardless.
      const t = setTimeout(() => client.close(), 5_000);
      await client.logout().catch(() => undefined);
      clearTimeout(t);
    }
    client.close();
  }

  /** Takes every message above the checkpoint, oldest first. */
  private async sync(client: ImapFlow): Promise<void> {
    const cp = await this.opts.checkpoints.get(this.mailbox);
    if (client.mailbox && client.mailbox.path === this.folder) {
      // STATUS on the selected folder answers from the session's stale view; NOOP
      // lets the server report what arrived, and the UID FETCH below finds it.
      await client.noop();
    } else {
      const st = await client.status(this.folder, { uidNext: true, uidValidity: true });
      this.logger.debug({ uidNext: st ? st.uidNext : null, checkpoint: cp }, "mailbox checked");
      if (st && cp && st.uidNext !== undefined && String(st.uidValidity) === cp.uidValidity && st.uidNext - 1 <= cp.lastUid) return;
    }

    const lock = await client.getMailboxLock(this.folder);
    try {
      const box = client.mailbox;
      if (!box) throw new IntakeError("IMAP_CONNECT", `folder ${this.folder} could not be opened`);
      const uidValidity = String(box.uidValidity);
      let last = 0;
      if (cp && cp.uidValidity === uidValidity) last = cp.lastUid;
      else if (cp) this.logger.warn({ was: cp.uidValidity, now: uidValidity }, "UIDVALIDITY changed; re-scanning the folder");
      if (box.exists === 0) {
        if (!cp || cp.uidValidity !== uidValidity) await this.opts.checkpoints.set(this.mailbox, { uidValidity, lastUid: 0 });
        return;
      }
      // Uids first, then one fetch per message: an IMAP command issued inside a fetch() loop deadlocks.
      // `n:*` also returns the highest message when nothing is new, hence the filter.
      const found: Found[] = [];
      for await (const m of client.fetch(`${last + 1}:*`, { uid: true, size: true }, { uid: true })) {
        if (m.uid > last) found.push({ uid: m.uid, size: m.size ?? 0 });
      }
      found.sort((a, b) => a.uid - b.uid);
      if (found.length) this.logger.info({ count: found.length, fromUid: found[0]!.uid }, "new messages");
      for (const f of found) {
        if (this.stopping) break;
        await this.take(client, f, uidValidity);
      }
    } finally {
      lock.release();
    }
  }

  private async take(client: ImapFlow, f: Found, uidValidity: string): Promise<void> {
    const logger = this.logger.child({ uid: f.uid });
    const max = this.opts.maxMessageBytes ?? 100 * 1024 * 1024;
    const advance = () => this.opts.checkpoints.set(this.mailbox, { uidValidity, lastUid: f.uid });
    if (f.size > max) {
      // Not downloaded: its headers and size are taken so the record says it came; the mail stays unmarked for a person.
      const head: FetchMessageObject | false = await client.fetchOne(String(f.uid), { uid: true, headers: true, internalDate: true }, { uid: true });
      const internalDate = head ? iso(head.internalDate) : undefined;
      logger.warn({ code: "LIMIT_EXCEEDED", size: f.size, limit: max }, `message of ${f.size} bytes exceeds ${max}; its headers are archived and it stays unmarked in the mailbox`);
      try {
        await this.opts.onMessage({
          mailbox: this.mailbox,
          uid: f.uid,
          uidValidity,
          raw: head && head.headers ? head.headers : Buffer.alloc(0),
          oversized: { size: f.size, limit: max },
          ...(internalDate ? { internalDate } : {}),
        });
      } catch (err) {
        throw new SinkFailure(f.uid, err);
      }
      await advance();
      return;
    }
    const msg: FetchMessageObject | false = await client.fetchOne(String(f.uid), { uid: true, source: true, internalDate: true }, { uid: true });
    if (!msg || !msg.source) {
      logger.warn("message vanished before it could be fetched");
      await advance();
      return;
    }
    const internalDate = iso(msg.internalDate);
    try {
      await this.opts.onMessage({ mailbox: this.mailbox, uid: f.uid, uidValidity, raw: msg.source, ...(internalDate ? { internalDate } : {}) });
    } catch (err) {
      throw new SinkFailure(f.uid, err);
    }
    try {
      await this.mark(client, f.uid, logger);
    } catch (err) {
      // The message is archived and queued; a refused mark must not stop the checkpoint (or it would be taken for ever).
      if (!client.usable) throw err;
      logger.warn({ err, markHandled: this.opts.markHandled.mode }, "message taken but could not be marked handled");
    }
    await advance();
  }

  private async mark(client: ImapFlow, uid: number, logger: Logger): Promise<void> {
    const m = this.opts.markHandled;
    if (m.mode === "keyword") {
      const ok = await client.messageFlagsAdd(String(uid), [m.keyword], { uid: true });
      if (!ok) logger.warn({ keyword: m.keyword }, "server refused the handled keyword");
      return;
    }
    if (!this.folderReady) {
      await client.mailboxCreate(m.folder).catch((err: { serverResponseCode?: string }) => {
        if (err.serverResponseCode !== "ALREADYEXISTS") throw err;
      });
      this.folderReady = true;
    }
    await client.messageMove(String(uid), m.folder, { uid: true });
  }
}
