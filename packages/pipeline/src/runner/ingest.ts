import type { Logger } from "pino";
import type { Archive } from "@intake/archive";
import { jobId, type Queues } from "@intake/jobs";
import { archiveIncoming, type IncomingMessage } from "./incoming.js";

export interface IngestResult {
  messageKey: string;
  /** False when the archive already held this message (other mailbox, re-scan, restart). */
  created: boolean;
  /** Whether a parse job was enqueued (it is skipped once the message has a record). */
  enqueued: boolean;
  jobId: string;
}

export interface IngestOptions {
  archive: Archive;
  queues: Pick<Queues, "add">;
  logger: Logger;
  /** Called between the archive write and the enqueue; default none. */
  afterArchive?: (messageKey: string) => void | Promise<void>;
}

/**
 * Archive first, then enqueue: once this resolves the message is safe and
 * the source may mark it handled. A message already in the archive is
 * enqueued again unless it already has a record, since a crash may have
 * come between the write and the enqueue; the deterministic job id keeps
 * Redis from holding it twice.
 */
export function createIngest(opts: IngestOptions): (msg: IncomingMessage) => Promise<IngestResult> {
  return async (msg) => {
    const { messageKey, created } = await archiveIncoming(opts.archive, msg);
    const id = jobId("parse", messageKey);
    const logger = opts.logger.child({ mailbox: msg.mailbox, uid: msg.uid, messageKey, jobId: id });
    await opts.afterArchive?.(messageKey);
    const done = !created && (await opts.archive.readRecord(messageKey)) !== null;
    if (!done) await opts.queues.add("parse", { messageKey }, { jobId: id });
    logger.info({ created, enqueued: !done, bytes: msg.raw.length, ...(msg.oversized ? { oversized: msg.oversized } : {}) }, created ? "message archived" : "message already archived");
    return { messageKey, created, enqueued: !done, jobId: id };
  };
}
