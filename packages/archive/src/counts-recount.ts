import { readdir, readFile, stat, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { atomicWrite } from "./atomic-write.js";
import { COUNTS_DIR, ledgerFiles, SNAPSHOT, type CountsEntry, type CountsSnapshot } from "./counts-ledger.js";

async function names(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith("."));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ENOTDIR") return [];
    throw err;
  }
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as unknown;
  } catch {
    // Missing or torn: not counted (a torn file is never left by the archive's atomic writes).
    return null;
  }
}

/** What a record counts as: the fields the counts need, read defensively (an old or odd record still counts). */
export function recordEntry(key: string, rec: unknown, at: number): Extract<CountsEntry, { t: "rec" }> | null {
  if (!rec || typeof rec !== "object") return null;
  const r = rec as { kind?: unknown; error?: unknown; submissions?: Array<{ flags?: unknown }> };
  const subs = (Array.isArray(r.submissions) ? r.submissions : []).map((s) =>
    Array.isArray(s?.flags) ? [...new Set(s.flags.filter((f): f is string => typeof f === "string"))] : [],
  );
  return { t: "rec", key, kind: typeof r.kind === "string" ? r.kind : "unknown", error: typeof r.error === "string", subs, at };
}

/** A ledger of a process of this machine that has ended (its file is fully folded once recounted). */
function isEnded(name: string): boolean {
  const m = /^ledger-(.+)-(\d+)\.jsonl$/.exec(name);
  if (!m || m[1] !== hostname().replace(/[^A-Za-z0-9_.-]/g, "_")) return false;
  if (Number(m[2]) === process.pid) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Counts the archive again from its files and writes the result as the
 * ledger's snapshot: the repair for a lost ledger line, and the start for an
 * archive older than the ledger. Safe while the daemon runs: the ledgers'
 * sizes are taken before the walk, and every line after them still applies
 * (the later of two readings of an item wins). Ledgers of ended processes on
 * this machine, folded into the snapshot, are removed.
 */
export async function recountArchive(root: string): Promise<{ messages: number; records: number; acks: number; ms: number }> {
  const t0 = Date.now();
  const dir = join(root, COUNTS_DIR);
  const consumed: Record<string, number> = {};
  for (const name of await ledgerFiles(root)) {
    consumed[name] = await stat(join(dir, name)).then((s) => s.size, () => 0);
  }
  const entries: CountsEntry[] = [];
  let records = 0;
  let acks = 0;
  const keys = await names(join(root, "messages"));
  for (const key of keys) {
    const mdir = join(root, "messages", key);
    const at = Date.now();
    entries.push({ t: "msg", key, at });
    for (const id of (await names(join(mdir, "sightings"))).filter((n) => n.endsWith(".json"))) {
      const s = (await readJson(join(mdir, "sightings", id))) as { mailbox?: unknown; seenAt?: unknown } | null;
      if (s && typeof s.mailbox === "string") entries.push({ t: "seen", key, id, mailbox: s.mailbox, seenAt: typeof s.seenAt === "string" ? s.seenAt : "", at });
    }
    const rec = recordEntry(key, await readJson(join(mdir, "record.json")), Date.now());
    if (rec) {
      entries.push(rec);
      records++;
    }
  }
  for (const file of (await names(join(root, "acks"))).filter((n) => n.endsWith(".json"))) {
    const at = Date.now();
    const e = (await readJson(join(root, "acks", file))) as { status?: unknown } | null;
    if (!e) continue;
    entries.push({ t: "ack", file, status: typeof e.status === "string" ? e.status : "unknown", at });
    acks++;
  }
  const snap: CountsSnapshot = { takenAt: new Date(t0).toISOString(), consumed, entries };
  await atomicWrite(join(dir, SNAPSHOT), JSON.stringify(snap));
  for (const name of Object.keys(consumed)) {
    const size = await stat(join(dir, name)).then((s) => s.size, () => -1);
    if (size === consumed[name] && isEnded(name)) await unlink(join(dir, name)).catch(() => undefined);
  }
  return { messages: keys.length, records, acks, ms: Date.now() - t0 };
}
