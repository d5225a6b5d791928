import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ArchiveStats } from "./archive-stats.js";
import { foldCounts, type CountsState } from "./counts-ledger.js";
import { recordEntry } from "./counts-recount.js";

/** Per mailbox: messages seen there and the newest sighting. */
export interface MailboxTally {
  messages: number;
  lastSeenAt: string | null;
}

export interface ArchiveCounts extends ArchiveStats {
  mailboxes: Record<string, MailboxTally>;
  /** False until `intake status --recount` ran once: mail archived before the ledger existed is not counted. */
  recounted: boolean;
}

function bump(m: Record<string, number>, k: string): void {
  m[k] = (m[k] ?? 0) + 1;
}

/**
 * The archive's counts from its ledger (archive/counts-ledger.ts), without
 * walking the messages: what `intake status` and the metrics show. The same
 * shape as readArchiveStats, which counts from the files themselves.
 */
export async function readArchiveCounts(archive: { root: string }, opts: { verify?: boolean } = {}): Promise<ArchiveCounts> {
  const st = await foldCounts(archive.root);
  if (opts.verify) await verifyRecords(archive.root, st);
  const out: ArchiveCounts = {
    messages: st.messages.size,
    records: 0,
    byKind: {},
    submissions: 0,
    byFlag: {},
    unparsable: [],
    pending: [],
    receipts: {},
    failedReceipts: [],
    mailboxes: {},
    recounted: st.recounted,
  };
  for (const key of [...st.messages].sort()) {
    const rec = st.records.get(key);
    if (!rec) {
      out.pending.push(key);
      continue;
    }
    out.records++;
    bump(out.byKind, rec.kind);
    if (rec.error) out.unparsable.push(key);
    for (const flags of rec.subs) {
      out.submissions++;
      for (const f of flags) bump(out.byFlag, f);
    }
  }
  for (const a of st.acks.values()) bump(out.receipts, a.status);
  for (const s of st.sightings.values()) {
    const m = (out.mailboxes[s.mailbox] ??= { messages: 0, lastSeenAt: null });
    m.messages++;
    if (!m.lastSeenAt || s.seenAt > m.lastSeenAt) m.lastSeenAt = s.seenAt;
  }
  // The failed list is short (receipts ops must act on); listing it is one readdir.
  try {
    out.failedReceipts = (await readdir(join(archive.root, "acks-failed")))
      .filter((n) => n.endsWith(".json") && !n.startsWith("."))
      .map((n) => n.slice(0, -".json".length));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  return out;
}

/**
 * Checks each record against its file with one stat, no read: a record file
 * gone (deleted, lost with a disk) counts as no record, and one changed
 * since its ledger line (restored from a backup, edited by hand) is read
 * again. What `intake status` shows is then right without a recount; only
 * the changed files are read.
 */
async function verifyRecords(root: string, st: CountsState): Promise<void> {
  const keys = [...st.messages];
  const BATCH = 64;
  for (let i = 0; i < keys.length; i += BATCH) {
    await Promise.all(
      keys.slice(i, i + BATCH).map(async (key) => {
        const path = join(root, "messages", key, "record.json");
        const s = await stat(path).catch(() => null);
        const cur = st.records.get(key);
        if (!s) {
          st.records.delete(key);
          return;
        }
        // The ledger's time is taken after the write, so a file newer than its line was written by someone else.
        // (+1: the line's time is in whole milliseconds, the file's finer.)
        if (cur && s.mtimeMs <= cur.at + 1) return;
        const rec = recordEntry(key, await readFile(path, "utf8").then((t) => JSON.parse(t) as unknown, () => null), s.mtimeMs);
        if (rec) st.records.set(key, rec);
        else st.records.delete(key);
      }),
    );
  }
}
