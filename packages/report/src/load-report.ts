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
}

export interface LoadReportOptions {
  /** Where unreadable records are reported; default: silent. */
  logger?: Logger;
  /** Headers of emails already looked at (they never change), kept between loads. */
  heads?: Map<string, MessageHead>;
}

/** Headers of at most this many emails without a record are read per load; the rest are listed by key. */
const MAX_HEADS = 500;

/** Reads every record of the archive; one that cannot be used is listed as a problem with its reason, never left out. */
export async function loadReport(archive: ArchiveReader, options: LoadReportOptions = {}): Promise<ReportData> {
  const records: MessageResult[] = [];
  const problems: ProblemMessage[] = [];
  const heads = options.heads ?? new Map<string, MessageHead>();
  let headsRead = 0;
  const problem = async (messageKey: string, reason: ProblemMessage["reason"]) => {
    let head = heads.get(messageKey);
    if (!head && headsRead < MAX_HEADS) {
      headsRead++;
      head = await readMessageHead(archive, messageKey).catch(() => ({ from: null, subject: null, date: null }));
      heads.set(messageKey, head);
    }
    problems.push({ messageKey, reason, head: head ?? { from: null, subject: null, date: null } });
  };
  for (const key of await archive.listMessages()) {
    let raw: unknown;
    try {
      raw = await archive.readRecord(key);
    } catch (err) {
      options.logger?.warn({ err, messageKey: key }, "record unreadable, listed as a problem");
      await problem(key, "unreadable");
      continue;
    }
    if (raw === undefined || raw === null) {
      await problem(key, "pending");
      continue;
    }
    const parsed = MessageResult.safeParse(raw);
    if (!parsed.success) {
      options.logger?.warn({ messageKey: key, issues: parsed.error.issues.slice(0, 5) }, "record does not match the schema, listed as a problem");
      await problem(key, "invalid");
      continue;
    }
    records.push(parsed.data);
  }
  return { records, problems };
}
