import { createHash } from "node:crypto";
import { access, mkdir, readdir, readFile, realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import type { Logger } from "pino";
// The keys only: the mail package's parser and IMAP client are not loaded by archive readers (status, report).
import { contentDigest, messageKeyOf } from "@intake/mail/keys";
import { IntakeError, MessageResult } from "@intake/schema";
import { atomicCreate, atomicWrite } from "./atomic-write.js";
import { appendCounts, type CountsEntry } from "./counts-ledger.js";
import { recordEntry } from "./counts-recount.js";
import { withFileLocks } from "./file-lock.js";
import { checkKey, insideRoot, safeRelPath, safeSegment } from "./safe-path.js";

/** One time a message was seen in a mailbox. */
export interface Sighting {
  mailbox: string;
  uid?: number;
  uidValidity?: string;
  /** IMAP INTERNALDATE, ISO 8601. */
  internalDate?: string;
  /** When the poller took it, ISO 8601. */
  seenAt: string;
}

export interface Checkpoint {
  uidValidity: string;
  lastUid: number;
}

export interface ArchiveOptions {
  /** The archive root folder (created when missing). */
  root: string;
  /** Logger for archive events; default none. */
  logger?: Logger;
}

const RAW = "message.eml";
const RECORD = "record.json";
const SIGHTINGS = "sightings";
const DIGEST = "content.sha256";
const VARIANT = "variant-of.json";
/** How many different emails may share one Message-ID before the archive refuses more. */
const MAX_VARIANTS = 20;

/** Where a message was filed, and whether it reuses another email's Message-ID. */
export interface StoredMessage {
  messageKey: string;
  /** False when the archive already held this email (other mailbox, re-scan, restart). */
  created: boolean;
  /** The key of the first email with the same Message-ID, when this one's content differs from it. */
  variantOf: string | null;
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function readError(path: string, err: unknown): IntakeError {
  return new IntakeError("ARCHIVE_IO", `archive read of ${path} failed: ${(err as Error).message}`, { cause: err });
}

/**
 * The archive: the source of truth on disk. Each message lives in
 * messages/<key>/ (raw message.eml, sightings/, record.json, extracted
 * files); indexes and checkpoints are JSON files beside it. Every write is
 * atomic, so a crash never leaves a torn file.
 */
export class Archive {
  readonly root: string;
  private readonly logger: Logger | undefined;

  constructor(opts: ArchiveOptions) {
    this.root = opts.root;
    this.logger = opts.logger;
  }

  messageDir(key: string): string {
    return join(this.root, "messages", checkKey(key)) + sep;
  }

  /**
   * Files an email under its message key. The same email seen again (the
   * other mailbox, a re-scan) joins its folder; a different email that reuses
   * a Message-ID is a message of its own, filed under the key with a hash of
   * its content appended and marked as a variant for reviewers. Emails are
   * compared by contentDigest, which ignores the delivery header fields.
   */
  async putMessage(raw: Buffer, sighting: Sighting): Promise<StoredMessage> {
    const base = messageKeyOf(raw);
    const digest = contentDigest(raw);
    for (let n = 0; n <= MAX_VARIANTS; n++) {
      const key = n === 0 ? base : `${base}-v${digest.slice(0, 16)}${n > 1 ? `-${n}` : ""}`;
      const dir = this.messageDir(key);
      if (await atomicCreate(join(dir, RAW), raw)) {
        await atomicWrite(join(dir, DIGEST), digest);
        if (n > 0) await atomicWrite(join(dir, VARIANT), JSON.stringify({ messageKey: base }));
        await this.putRaw(key, raw, sighting);
        if (n > 0) this.logger?.warn({ messageKey: key, variantOf: base }, "a different email reuses a Message-ID: filed apart");
        return { messageKey: key, created: true, variantOf: n > 0 ? base : null };
      }
      if ((await this.digestOf(key)) === digest) {
        await this.putRaw(key, raw, sighting);
        return { messageKey: key, created: false, variantOf: n > 0 ? base : null };
      }
    }
    throw new IntakeError("ARCHIVE_IO", `more than ${MAX_VARIANTS} different emails share the Message-ID of ${base}`);
  }

  /** The content digest of an archived email (computed and kept when an older archive lacks it). */
  private async digestOf(key: string): Promise<string> {
    const path = join(this.messageDir(key), DIGEST);
    try {
      return (await readFile(path, "utf8")).trim();
    } catch (err) {
      if (!isMissing(err)) throw readError(path, err);
    }
    // Also the case while another process is between writing the email and its digest.
    const digest = contentDigest(await this.readRaw(key));
    await atomicWrite(path, digest);
    return digest;
  }

  /** The key of the first email with this one's Message-ID, when this is a different email reusing it. */
  async variantOf(key: string): Promise<string | null> {
    return (await this.readJson<{ messageKey: string }>(`messages/${checkKey(key)}/${VARIANT}`))?.messageKey ?? null;
  }

  /** Stores the raw message once per key and records where it was seen (once per mailbox+uidValidity+uid). */
  async putRaw(key: string, raw: Buffer, sighting: Sighting): Promise<{ created: boolean }> {
    const dir = this.messageDir(key);
    const created = await atomicCreate(join(dir, RAW), raw);
    if (created) await this.count({ t: "msg", key, at: Date.now() });
    const id = sighting.uid !== undefined ? `${sighting.mailbox}-${sighting.uidValidity ?? "0"}-${sighting.uid}` : `${sighting.mailbox}-local`;
    const file = `${safeSegment(id)}.json`;
    if (await atomicCreate(join(dir, SIGHTINGS, file), JSON.stringify(sighting))) {
      await this.count({ t: "seen", key, id: file, mailbox: sighting.mailbox, seenAt: sighting.seenAt, at: Date.now() });
    }
    this.logger?.debug({ messageKey: key, mailbox: sighting.mailbox, uid: sighting.uid, created }, "raw message archived");
    return { created };
  }

  async hasRaw(key: string): Promise<boolean> {
    try {
      await access(join(this.messageDir(key), RAW));
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw readError(key, err);
    }
  }

  async readRaw(key: string): Promise<Buffer> {
    try {
      return await readFile(join(this.messageDir(key), RAW));
    } catch (err) {
      if (isMissing(err)) throw new IntakeError("MESSAGE_NOT_FOUND", `message ${key} is not in the archive`);
      throw readError(key, err);
    }
  }

  async sightings(key: string): Promise<Sighting[]> {
    const dir = join(this.messageDir(key), SIGHTINGS);
    let names: string[];
    try {
      names = (await readdir(dir)).filter((n) => n.endsWith(".json"));
    } catch (err) {
      if (isMissing(err)) return [];
      throw readError(dir, err);
    }
    const all = await Promise.all(names.map(async (n) => JSON.parse(await readFile(join(dir, n), "utf8")) as Sighting));
    return all.sort((a, b) => a.seenAt.localeCompare(b.seenAt) || a.mailbox.localeCompare(b.mailbox));
  }

  /** Writes a file inside the message's folder; returns its archive-relative path. */
  async putFile(key: string, relPath: string, data: Buffer | string): Promise<string> {
    const segments = safeRelPath(relPath);
    if (segments.length === 0) throw new IntakeError("ARCHIVE_PATH", "empty file path refused");
    const full = join(this.messageDir(key), ...segments);
    await atomicWrite(full, data);
    return relative(this.root, full).split(sep).join("/");
  }

  /** Reads an archive-relative path; refuses anything that resolves outside the root, symlinks included. */
  async readFile(archiveRelPath: string): Promise<Buffer> {
    const full = insideRoot(this.root, archiveRelPath);
    let real: string;
    try {
      real = await realpath(full);
    } catch (err) {
      if (isMissing(err)) throw new IntakeError("MESSAGE_NOT_FOUND", `${archiveRelPath} is not in the archive`);
      throw readError(archiveRelPath, err);
    }
    const rootReal = await realpath(this.root);
    insideRoot(rootReal, relative(rootReal, real) || ".");
    try {
      return await readFile(real);
    } catch (err) {
      throw readError(archiveRelPath, err);
    }
  }

  async putRecord(key: string, record: MessageResult): Promise<void> {
    const r = MessageResult.safeParse(record);
    if (!r.success) {
      throw new IntakeError("ARCHIVE_IO", `record of ${key} is invalid: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    }
    await atomicWrite(join(this.messageDir(key), RECORD), JSON.stringify(record, null, 2));
    await this.count(recordEntry(key, record, Date.now()));
  }

  /** Adds a line to the counts ledger; a failure is logged, not thrown: the file is written, a recount repairs the counts. */
  private async count(entry: CountsEntry | null): Promise<void> {
    if (!entry) return;
    try {
      await appendCounts(this.root, entry);
    } catch (err) {
      this.logger?.warn({ err }, "counts ledger not written; `intake status --recount` repairs the counts");
    }
  }

  async readRecord(key: string): Promise<MessageResult | null> {
    const path = join(this.messageDir(key), RECORD);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if (isMissing(err)) return null;
      throw readError(path, err);
    }
    const raw: unknown = JSON.parse(text);
    if (!MessageResult.safeParse(raw).success) throw new IntakeError("ARCHIVE_IO", `record of ${key} is invalid`);
    return raw as MessageResult;
  }

  /** Changes whenever the record is written (records are replaced by rename, so the inode changes too); null without one. */
  async recordStamp(key: string): Promise<string | null> {
    try {
      const s = await stat(join(this.messageDir(key), RECORD), { bigint: true });
      return `${s.ino}:${s.mtimeNs}:${s.size}`;
    } catch (err) {
      if (isMissing(err)) return null;
      throw readError(join(this.messageDir(key), RECORD), err);
    }
  }

  /** Every archived message's key, oldest first (arrival date, else when first seen). */
  async listMessages(): Promise<string[]> {
    let keys: string[];
    try {
      keys = (await readdir(join(this.root, "messages"))).filter((k) => !k.startsWith("."));
    } catch (err) {
      if (isMissing(err)) return [];
      throw readError("messages", err);
    }
    const dated = await Promise.all(
      keys.map(async (key) => {
        const s = await this.sightings(key).catch(() => [] as Sighting[]);
        const times = s.map((x) => Date.parse(x.internalDate ?? x.seenAt)).filter((t) => !Number.isNaN(t));
        return { key, t: times.length ? Math.min(...times) : Number.MAX_SAFE_INTEGER };
      }),
    );
    return dated.sort((a, b) => a.t - b.t || a.key.localeCompare(b.key)).map((d) => d.key);
  }

  async putJson(relPath: string, value: unknown): Promise<void> {
    const segments = safeRelPath(relPath);
    if (segments.length === 0) throw new IntakeError("ARCHIVE_PATH", "empty path refused");
    await atomicWrite(insideRoot(this.root, segments.join("/")), JSON.stringify(value, null, 2));
    // A receipt's sent-log entry (acks/<key>.json) is counted by its status.
    const status = (value as { status?: unknown } | null)?.status;
    if (segments.length === 2 && segments[0] === "acks" && segments[1]!.endsWith(".json") && typeof status === "string") {
      await this.count({ t: "ack", file: segments[1]!, status, at: Date.now() });
    }
  }

  async readJson<T>(relPath: string): Promise<T | null> {
    const path = insideRoot(this.root, safeRelPath(relPath).join("/"));
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      if (isMissing(err)) return null;
      throw readError(relPath, err);
    }
    return JSON.parse(text) as T;
  }

  /** The names of the JSON files in an archive-relative folder (none when it does not exist). */
  async listJson(relDir: string): Promise<string[]> {
    const dir = insideRoot(this.root, safeRelPath(relDir).join("/"));
    try {
      return (await readdir(dir)).filter((n) => n.endsWith(".json") && !n.startsWith("."));
    } catch (err) {
      if (isMissing(err)) return [];
      throw readError(relDir, err);
    }
  }

  /**
   * Runs `fn` holding exclusive locks on these archive-relative paths: what a
   * read-modify-write of a shared index needs when several processes (on
   * several machines) write it.
   */
  async withLocks<T>(relPaths: readonly string[], fn: () => Promise<T>): Promise<T> {
    const full = relPaths.map((r) => insideRoot(this.root, safeRelPath(r).join("/")));
    return withFileLocks(full, fn, this.logger);
  }

  async getCheckpoint(mailbox: string): Promise<Checkpoint | null> {
    return this.readJson<Checkpoint>(checkpointPath(mailbox));
  }

  async setCheckpoint(mailbox: string, cp: Checkpoint): Promise<void> {
    await this.putJson(checkpointPath(mailbox), { uidValidity: String(cp.uidValidity), lastUid: cp.lastUid });
  }

  /** Creates the root folder; called once at start-up so a bad path fails early. */
  async init(): Promise<void> {
    try {
      await mkdir(join(this.root, "messages"), { recursive: true });
    } catch (err) {
      throw new IntakeError("ARCHIVE_IO", `archive folder ${this.root} cannot be created: ${(err as Error).message}`, { cause: err });
    }
  }
}

function checkpointPath(mailbox: string): string {
  // Hashing keeps two mailbox names that sanitise alike apart.
  const h = createHash("sha256").update(mailbox).digest("hex").slice(0, 8);
  return `checkpoints/${safeSegment(mailbox)}-${h}.json`;
}
