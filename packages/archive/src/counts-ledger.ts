import { access, appendFile, mkdir, readdir, readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

/**
 * The archive's counts, kept as it is written so `intake status` and the
 * metrics never walk the archive: every write of a raw message, a sighting, a
 * record or a receipt's sent-log entry appends one line (what was written,
 * with when) to a ledger file of the writing process, under index/counts/.
 * Each process appends only to its own file, so writers never contend, on one
 * machine or several. Reading folds every ledger onto the last recount's
 * snapshot; per item the line written last wins, so a rewritten record
 * counts once with its latest content. A line lost (a crash between the
 * write and its line, a ledger deleted) is repaired by a recount
 * (`intake status --recount`), which walks the archive, the source of truth.
 */
export type CountsEntry =
  /** A raw message archived. */
  | { t: "msg"; key: string; at: number }
  /** One sighting of it (id: the sighting's file name). */
  | { t: "seen"; key: string; id: string; mailbox: string; seenAt: string; at: number }
  /** Its record, as counted: kind, whether it is a failure record, each submission's flags. */
  | { t: "rec"; key: string; kind: string; error: boolean; subs: string[][]; at: number }
  /** A receipt's sent-log entry (file: its name under acks/) and its status. */
  | { t: "ack"; file: string; status: string; at: number };

export const COUNTS_DIR = "index/counts";
export const SNAPSHOT = "snapshot.json";
const LEDGER_PREFIX = "ledger-";

/** What a recount wrote: every item as read then, and how far each ledger had been read before the walk began. */
export interface CountsSnapshot {
  takenAt: string;
  /** Ledger file → bytes already folded into `entries` (lines after that still apply). */
  consumed: Record<string, number>;
  entries: CountsEntry[];
}

/** Whether a recount has written its snapshot (an archive without one may hold mail from before the ledger). */
export async function hasCountsSnapshot(root: string): Promise<boolean> {
  try {
    await access(join(root, COUNTS_DIR, SNAPSHOT));
    return true;
  } catch {
    return false;
  }
}

/** The ledger file of this process. */
export function ledgerName(): string {
  return `${LEDGER_PREFIX}${hostname().replace(/[^A-Za-z0-9_.-]/g, "_")}-${process.pid}.jsonl`;
}

/** Appends one line to this process's ledger; O_APPEND, so the line lands whole at the end. */
export async function appendCounts(root: string, entry: CountsEntry): Promise<void> {
  const dir = join(root, COUNTS_DIR);
  const line = `${JSON.stringify(entry)}\n`;
  try {
    await appendFile(join(dir, ledgerName()), line);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    await mkdir(dir, { recursive: true });
    await appendFile(join(dir, ledgerName()), line);
  }
}

/** The ledger files now, with their sizes in bytes. */
export async function ledgerFiles(root: string): Promise<string[]> {
  try {
    return (await readdir(join(root, COUNTS_DIR))).filter((n) => n.startsWith(LEDGER_PREFIX) && n.endsWith(".jsonl")).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

export interface CountsState {
  messages: Set<string>;
  records: Map<string, Extract<CountsEntry, { t: "rec" }>>;
  sightings: Map<string, Extract<CountsEntry, { t: "seen" }>>;
  acks: Map<string, Extract<CountsEntry, { t: "ack" }>>;
  /** Whether a recount ever ran (without one, an archive older than the ledger is undercounted). */
  recounted: boolean;
}

function apply(state: CountsState, e: CountsEntry): void {
  if (e.t === "msg") state.messages.add(e.key);
  else if (e.t === "seen") {
    state.messages.add(e.key);
    state.sightings.set(`${e.key}/${e.id}`, e);
  } else if (e.t === "rec") {
    const cur = state.records.get(e.key);
    if (!cur || cur.at <= e.at) state.records.set(e.key, e);
  } else if (e.t === "ack") {
    const cur = state.acks.get(e.file);
    if (!cur || cur.at <= e.at) state.acks.set(e.file, e);
  }
}

function parseLines(text: string, out: (e: CountsEntry) => void): void {
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      out(JSON.parse(line) as CountsEntry);
    } catch {
      // A line cut short by a crash mid-append: that item is counted again by the next recount.
    }
  }
}

/** Folds the snapshot and every ledger (each from where the snapshot left it) into the current counts. */
export async function foldCounts(root: string): Promise<CountsState> {
  const state: CountsState = { messages: new Set(), records: new Map(), sightings: new Map(), acks: new Map(), recounted: false };
  const dir = join(root, COUNTS_DIR);
  let snap: CountsSnapshot | null = null;
  try {
    snap = JSON.parse(await readFile(join(dir, SNAPSHOT), "utf8")) as CountsSnapshot;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT" && !(err instanceof SyntaxError)) throw err;
  }
  if (snap) {
    state.recounted = true;
    for (const e of snap.entries) apply(state, e);
  }
  for (const name of await ledgerFiles(root)) {
    const buf = await readFile(join(dir, name)).catch(() => Buffer.alloc(0));
    parseLines(buf.subarray(snap?.consumed[name] ?? 0).toString("utf8"), (e) => apply(state, e));
  }
  return state;
}
