import { randomUUID } from "node:crypto";
import { mkdir, open, readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { syncDir } from "./fsync-file.js";
import { JournalEntry } from "./journal-entry.js";

/** Where the journal lives inside the archive. */
export const JOURNAL_PATH = "review/journal.jsonl";

export interface JournalOptions {
  /** The archive root. */
  root: string;
  now?: () => Date;
}

/** An entry as a caller gives it; id and time are the journal's. */
export type NewEntry = Omit<JournalEntry, "id" | "at">;

/**
 * The reviewers' journal: one JSON line per decision, appended and fsync'd
 * before the call returns, never rewritten. Machine records are never
 * touched; every view joins record and journal. A line torn by a crash
 * mid-write is skipped on reading (and counted), never fatal.
 */
export class Journal {
  readonly path: string;
  private readonly now: () => Date;
  private entries: JournalEntry[] = [];
  private byMessage = new Map<string, JournalEntry[]>();
  private loadedSize = -1;
  private loadedMtime = 0;
  private skipped = 0;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(o: JournalOptions) {
    this.path = join(o.root, JOURNAL_PATH);
    this.now = o.now ?? (() => new Date());
  }

  /** Appends one entry durably; returns it as stored. Appends from one process are serialised. */
  append(e: NewEntry): Promise<JournalEntry> {
    const run = this.tail.then(async () => {
      const entry = JournalEntry.parse({ ...e, id: randomUUID(), at: this.now().toISOString() });
      await mkdir(dirname(this.path), { recursive: true });
      const fresh = await stat(this.path).then(() => false, () => true);
      const fh = await open(this.path, "a", 0o600);
      try {
        // One write of one line: O_APPEND puts it whole at the end, after any other writer's line.
        await fh.write(`${JSON.stringify(entry)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (fresh) await syncDir(dirname(this.path));
      await this.refresh();
      return entry;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Every entry, oldest first (re-read when the file changed). */
  async all(): Promise<JournalEntry[]> {
    await this.refresh();
    return this.entries;
  }

  /** The entries of one message, oldest first. */
  async forMessage(messageKey: string): Promise<JournalEntry[]> {
    await this.refresh();
    return this.byMessage.get(messageKey) ?? [];
  }

  /** Entries grouped by message key. */
  async byMessageKey(): Promise<ReadonlyMap<string, JournalEntry[]>> {
    await this.refresh();
    return this.byMessage;
  }

  /** Lines that could not be read (a torn last line, a hand edit). */
  get unreadableLines(): number {
    return this.skipped;
  }

  private async refresh(): Promise<void> {
    let st;
    try {
      st = await stat(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
    if (st.size === this.loadedSize && st.mtimeMs === this.loadedMtime) return;
    const text = await readFile(this.path, "utf8");
    const entries: JournalEntry[] = [];
    let skipped = 0;
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      try {
        const r = JournalEntry.safeParse(JSON.parse(line));
        if (r.success) entries.push(r.data);
        else skipped++;
      } catch {
        skipped++;
      }
    }
    const byMessage = new Map<string, JournalEntry[]>();
    for (const e of entries) byMessage.set(e.messageKey, [...(byMessage.get(e.messageKey) ?? []), e]);
    this.entries = entries;
    this.byMessage = byMessage;
    this.skipped = skipped;
    this.loadedSize = st.size;
    this.loadedMtime = st.mtimeMs;
  }
}
