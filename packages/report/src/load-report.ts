import type { Logger } from "pino";
import { MessageResult } from "@intake/schema";
import type { ArchiveReader } from "./archive-reader.js";
import { readMessageHead, type MessageHead } from "./message-text.js";

/** An archived email the report has no usable record of: still listed and counted, with why. */
export interface ProblemMessage {
  messageKey: string;
  /** pending: no record yet (in the pipeline, or failed before one); unreadable / invalid: a record that cannot be used. */
  reason: "pending" | "unreadable" | "invalid";
  head: MessageHead;
}

export interface ReportData {
  /** Every readable record, submissions or not. */
  records: MessageResult[];
  /** Every archived email without a usable record. */
  problems: ProblemMessage[];
  /** Changes whenever a message or its record does (when the archive gives record stamps). */
  version?: string;
}

/** What a load found for one message, kept so that the next load reads only what changed. */
export interface KnownRecord {
  stamp: string;
  outcome: { record: MessageResult } | { reason: "unreadable" | "invalid" };
}

export interface LoadReportOptions {
  /** Where unreadable records are reported; default: silent. */
  logger?: Logger;
  /** Headers of emails already looked at (they never change), kept between loads. */
  heads?: Map<string, MessageHead>;
  /** Records of the last load by key; filled in here. A record whose stamp is the same is not read again. */
  known?: Map<string, KnownRecord>;
}

/** Headers of at most this many emails without a record are read per load; the rest are listed by key. */
const MAX_HEADS = 500;
/** Records read at once: the files are small, and waiting for each in turn is most of the time. */
const READ_AHEAD = 16;

/** Reads every record of the archive; one that cannot be used is listed as a problem with its reason, never left out. */
export async function loadReport(archive: ArchiveReader, options: LoadReportOptions = {}): Promise<ReportData> {
  const heads = options.heads ?? new Map<string, MessageHead>();
  const known = options.known ?? new Map<string, KnownRecord>();
  let headsRead = 0;
  const headOf = async (messageKey: string): Promise<MessageHead> => {
    let head = heads.get(messageKey);
    if (!head && headsRead < MAX_HEADS) {
      headsRead++;
      head = await readMessageHead(archive, messageKey).catch(() => ({ from: null, subject: null, date: null }));
      heads.set(messageKey, head);
    }
    return head ?? { from: null, subject: null, date: null };
  };
  const keys = await archive.listMessages();
  const stamps: (string | null)[] = new Array(keys.length).fill(null);
  const outcomes: (KnownRecord["outcome"] | { reason: "pending" })[] = new Array(keys.length);
  const readOne = async (i: number) => {
    const key = keys[i]!;
    const stamp = (await archive.recordStamp?.(key).catch(() => null)) ?? null;
    stamps[i] = stamp;
    const before = known.get(key);
    if (stamp && before?.stamp === stamp) {
      outcomes[i] = before.outcome;
      return;
    }
    outcomes[i] = await readRecord(archive, key, options.logger);
    const o = outcomes[i]!;
    if (stamp && !("reason" in o && o.reason === "pending")) known.set(key, { stamp, outcome: o as KnownRecord["outcome"] });
    else known.delete(key);
  };
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < keys.length; i = next++) await readOne(i);
  };
  await Promise.all(Array.from({ length: Math.min(READ_AHEAD, keys.length) }, lane));
  const present = new Set(keys);
  for (const k of known.keys()) if (!present.has(k)) known.delete(k);

  const records: MessageResult[] = [];
  const problems: ProblemMessage[] = [];
  // In the archive's order (oldest first); headers of problem emails are read in that order too.
  for (let i = 0; i < keys.length; i++) {
    const o = outcomes[i]!;
    if ("record" in o) records.push(o.record);
    else problems.push({ messageKey: keys[i]!, reason: o.reason, head: await headOf(keys[i]!) });
  }
  // Headers of problem emails read this time (at most MAX_HEADS a load) change the data too.
  const version = archive.recordStamp ? `${keys.map((k, i) => `${k}=${stamps[i] ?? "-"}`).join("\n")}\nheads=${heads.size}` : undefined;
  return { records, problems, ...(version !== undefined ? { version } : {}) };
}

async function readRecord(archive: ArchiveReader, key: string, logger?: Logger): Promise<KnownRecord["outcome"] | { reason: "pending" }> {
  let raw: unknown;
  try {
    raw = await archive.readRecord(key);
  } catch (err) {
    logger?.warn({ err, messageKey: key }, "record unreadable, listed as a problem");
    return { reason: "unreadable" };
  }
  if (raw === undefined || raw === null) return { reason: "pending" };
  const parsed = MessageResult.safeParse(raw);
  if (!parsed.success) {
    logger?.warn({ messageKey: key, issues: parsed.error.issues.slice(0, 5) }, "record does not match the schema, listed as a problem");
    return { reason: "invalid" };
  }
  return { record: parsed.data };
}
