import { ImapFlow, type FetchMessageObject } from "imapflow";
import type { Logger } from "pino";
import { IntakeError } from "@intake/schema";
import type { CheckpointStore, MailSource, MessageSink } from "../sources/source.js";
import { backoffDelay } from "./backoff.js";
import { Signal } from "./signal.js";

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
  /** Messages larger than this (bytes) are left in the mailbox, unmarked, with an error logged; default 100 MiB. */
  maxMessageBytes?: number;
  /** Reconnect backoff bounds in ms; default 1 000 to 60 000. */
  backoff?: { minMs: number; maxMs: number };
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
  private readonly signal = new Signal();
  private stopping = false;
  private running: Promise<void> | null = null;
  private folderReady = false;

  constructor(opts: ImapPollerOptions) {
    this.opts = opts;
    this.mailbox = opts.mailbox;
    this.logger = opts.logger.child({ mailbox: opts.mailbox });
  }

  start(): void {
    if (!this.running) this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.signal.notify();
    await this.running;
  }

  private get folder(): string {
    return this.opts.folder ?? "INBOX";
  }

  private async loop(): Promise<void> {
    let attempt = 0;
    const { minMs, maxMs } = this.opts.backoff ?? { minMs: 1_000, maxMs: 60_000 };
    while (!this.stopping) {
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
      // Without an error listener a socket timeout would crash the process.
      client.on("error", (err: Error) => this.logger.warn({ err }, "IMAP connection error"));
      client.on("exists", () => this.signal.notify());
      client.on("close", () => this.signal.notify());
      try {
        await client.connect();
        this.logger.info({ host: this.opts.host, port: this.opts.port }, "IMAP connected");
        this.folderReady = false;
        while (!this.stopping && client.usable) {
          await this.sync(client);
          attempt = 0;
          if (this.stopping) break;
          await this.signal.wait(this.opts.intervalMs ?? 60_000);
        }
        if (!this.stopping) this.logger.warn("IMAP connection closed; reconnecting");
      } catch (err) {
        if (!this.stopping) this.report(err);
      } finally {
        await this.close(client);
      }
      if (!this.stopping) await this.signal.wait(backoffDelay(attempt++, minMs, maxMs));
    }
    this.logger.info("IMAP watcher stopped");
  }

  private report(err: unknown): void {
    if (err instanceof SinkFailure) {
      this.logger.error({ err: err.cause, uid: err.uid }, `${err.message}; it stays unmarked and is taken again after reconnecting`);
      return;
    }
    const e = err as { authenticationFailed?: boolean; responseText?: string; code?: string; message?: string };
    const where = `${this.opts.user} at ${this.opts.host}:${this.opts.port}`;
    if (e.authenticationFailed) {
      const error = new IntakeError(
        "IMAP_AUTH",
        `IMAP login failed for mailbox ${this.mailbox} (${where}): ${e.responseText ?? e.message ?? "rejected"}${this.opts.authHint ? `; ${this.opts.authHint}` : ""}`,
        { cause: err },
      );
      this.logger.error({ err: error, code: error.code }, error.message);
      return;
    }
    const code = e.code === undefined ? "" : ` [${e.code}]`;
    this.logger.error({ err, code: "IMAP_CONNECT" }, `IMAP mailbox ${this.mailbox} (${where}) failed${code}: ${e.message ?? String(err)}`);
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
      const err = new IntakeError("LIMIT_EXCEEDED", `message of ${f.size} bytes exceeds ${max}; left unmarked in the mailbox`);
      logger.error({ err, code: err.code, size: f.size }, err.message);
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
