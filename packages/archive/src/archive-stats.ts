import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Archive } from "./archive.js";

/** What the archive holds, counted from its files (the source of truth, shared by every process). */
export interface ArchiveStats {
  /** Archived raw messages. */
  messages: number;
  /** Messages with a record. */
  records: number;
  /** Records by message kind (submission, follow-up, auto-reply, …). */
  byKind: Record<string, number>;
  /** Submissions across all records. */
  submissions: number;
  /** Submissions carrying each flag (`code` or `code:field`). */
  byFlag: Record<string, number>;
  /** Records the pipeline could not finish (kind "other" with an error), by message key. */
  unparsable: string[];
  /** Messages archived but without a record yet (in flight, or lost work to replay). */
  pending: string[];
  /** Receipts in the sent-log by status (sent, sending, failed, suppressed). */
  receipts: Record<string, number>;
  /** Receipt keys in the failed list (acks-failed/). */
  failedReceipts: string[];
}

export interface ArchiveStatsOptions {
  /** Stop after this many messages so a huge archive cannot stall a scrape; default 100000. */
  maxMessages?: number;
}

async function names(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith("."));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as unknown;
  } catch {
    // A missing or torn file counts as absent: stats must never fail on one bad file.
    return null;
  }
}

function bump(m: Record<string, number>, k: string): void {
  m[k] = (m[k] ?? 0) + 1;
}

/** Counts records, flags and receipts by reading the archive's files. */
export async function readArchiveStats(archive: Pick<Archive, "root">, opts: ArchiveStatsOptions = {}): Promise<ArchiveStats> {
  const max = opts.maxMessages ?? 100_000;
  const stats: ArchiveStats = {
    messages: 0,
    records: 0,
    byKind: {},
    submissions: 0,
    byFlag: {},
    unparsable: [],
    pending: [],
    receipts: {},
    failedReceipts: [],
  };
  const keys = (await names(join(archive.root, "messages"))).slice(0, max);
  stats.messages = keys.length;
  for (const key of keys) {
    const rec = (await readJsonFile(join(archive.root, "messages", key, "record.json"))) as {
      kind?: unknown;
      error?: unknown;
      submissions?: Array<{ flags?: unknown }>;
    } | null;
    if (!rec || typeof rec !== "object") {
      stats.pending.push(key);
      continue;
    }
    stats.records++;
    bump(stats.byKind, typeof rec.kind === "string" ? rec.kind : "unknown");
    if (typeof rec.error === "string") stats.unparsable.push(key);
    for (const sub of Array.isArray(rec.submissions) ? rec.submissions : []) {
      stats.submissions++;
      const flags = Array.isArray(sub?.flags) ? sub.flags.filter((f): f is string => typeof f === "string") : [];
      for (const f of new Set(flags)) bump(stats.byFlag, f);
    }
  }
  for (const name of (await names(join(archive.root, "acks"))).filter((n) => n.endsWith(".json"))) {
    const e = (await readJsonFile(join(archive.root, "acks", name))) as { status?: unknown } | null;
    bump(stats.receipts, typeof e?.status === "string" ? e.status : "unknown");
  }
  stats.failedReceipts = (await names(join(archive.root, "acks-failed")))
    .filter((n) => n.endsWith(".json"))
    .map((n) => n.slice(0, -".json".length));
  return stats;
}
