import { appendFile, mkdtemp, readdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptyFields, type MessageResult } from "@intake/schema";
import { Archive } from "../src/archive.js";
import { COUNTS_DIR, ledgerName } from "../src/counts-ledger.js";
import { recountArchive } from "../src/counts-recount.js";
import { readArchiveCounts } from "../src/archive-counts.js";
import { readArchiveStats } from "../src/archive-stats.js";
import { sampleMailboxes } from "../../../test/support/samples.js";

let root: string;
let archive: Archive;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "counts-test-"));
  archive = new Archive({ root });
  await archive.init();
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function samples(): Promise<Array<{ mailbox: string; raw: Buffer }>> {
  const out: Array<{ mailbox: string; raw: Buffer }> = [];
  for (const mailbox of (await readdir(sampleMailboxes)).sort()) {
    for (const n of (await readdir(join(sampleMailboxes, mailbox))).filter((x) => x.endsWith(".eml")).sort()) {
      out.push({ mailbox, raw: await readFile(join(sampleMailboxes, mailbox, n)) });
    }
  }
  return out;
}

function record(key: string, kind: MessageResult["kind"], flags: string[][], error?: string): MessageResult {
  return {
    messageId: key,
    messageKey: key,
    kind,
    ack: kind === "submission",
    submissions: flags.map((f) => ({ word: null, scan: [], fields: emptyFields(), signoff: { signature: null, seal: null }, flags: f as never })),
    ...(error ? { error } : {}),
  };
}

/** What the counts must equal: the archive counted from its files. */
async function truth() {
  const s = await readArchiveStats(archive);
  return { ...s, pending: [...s.pending].sort(), unparsable: [...s.unparsable].sort(), failedReceipts: [...s.failedReceipts].sort() };
}

async function counted(verify = false) {
  const { mailboxes: _m, recounted: _r, ...c } = await readArchiveCounts(archive, { verify });
  return { ...c, pending: [...c.pending].sort(), unparsable: [...c.unparsable].sort(), failedReceipts: [...c.failedReceipts].sort() };
}

/** Files the sample mailboxes (both copies of a two-mailbox email) and writes records and receipts for some. */
async function fill(): Promise<string[]> {
  const keys: string[] = [];
  let uid = 1;
  for (const m of await samples()) {
    const stored = await archive.putMessage(m.raw, { mailbox: m.mailbox, uid: uid++, uidValidity: "7", seenAt: new Date(Date.UTC(2026, 0, uid)).toISOString() });
    if (stored.created) keys.push(stored.messageKey);
  }
  for (const [i, key] of keys.entries()) {
    if (i % 5 === 4) continue; // in flight: no record yet
    await archive.putRecord(key, i % 7 === 3 ? record(key, "other", [], "parse failed") : record(key, i % 3 ? "submission" : "inquiry", i % 3 ? [["missing-seal"], ["late-submission", "missing-seal"]] : []));
    if (i % 3) await archive.putJson(`acks/${key.replace(/[^A-Za-z0-9@._-]/g, "_")}.json`, { ackKey: key, messageKey: key, status: i % 2 ? "sent" : "sending" });
  }
  return keys;
}

describe("archive counts kept as it is written", () => {
  it("equal the archive counted from its files, with a mailbox tally per mailbox", async () => {
    const keys = await fill();
    expect(keys.length).toBeGreaterThan(5);
    const t = await truth();
    expect(t.records).toBeGreaterThan(0);
    expect(t.pending.length).toBeGreaterThan(0);
    expect(await counted()).toEqual(t);
    const { mailboxes } = await readArchiveCounts(archive);
    const sightings = (await samples()).reduce<Record<string, number>>((m, s) => ({ ...m, [s.mailbox]: (m[s.mailbox] ?? 0) + 1 }), {});
    expect(Object.fromEntries(Object.entries(mailboxes).map(([k, v]) => [k, v.messages]))).toEqual(sightings);
  });

  it("count a rewritten record once, with its latest content", async () => {
    const keys = await fill();
    const key = keys[1]!;
    await archive.putRecord(key, record(key, "newsletter", [["resubmission"]]));
    await archive.putRecord(key, record(key, "submission", [["missing-signature"], [], ["missing-seal"]]));
    await archive.putJson(`acks/${key.replace(/[^A-Za-z0-9@._-]/g, "_")}.json`, { ackKey: key, messageKey: key, status: "failed" });
    const t = await truth();
    expect(t.byFlag["missing-signature"]).toBe(1);
    expect(await counted()).toEqual(t);
  });

  it("are repaired by a recount when a ledger line was lost or a record rewritten behind their back", async () => {
    const keys = await fill();
    // A record rewritten without the archive (a restore from backup), and one deleted.
    await writeFile(join(root, "messages", keys[0]!, "record.json"), JSON.stringify(record(keys[0]!, "bounce", [])));
    await unlink(join(root, "messages", keys[1]!, "record.json"));
    // And the ledger losing its last lines (a crash between a write and its line).
    const ledger = join(root, COUNTS_DIR, ledgerName());
    const lines = (await readFile(ledger, "utf8")).trimEnd().split("\n");
    await writeFile(ledger, `${lines.slice(0, -3).join("\n")}\n`);
    const t = await truth();
    expect(await counted()).not.toEqual(t);

    await recountArchive(root);
    expect(await counted()).toEqual(t);
    // Writes after the recount still count, on top of its snapshot.
    await archive.putRecord(keys[1]!, record(keys[1]!, "submission", [["missing-seal"]]));
    expect(await counted()).toEqual(await truth());
  });

  it("checked against the record files (intake status), see a record lost or rewritten behind their back without a recount", async () => {
    const keys = await fill();
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(join(root, "messages", keys[0]!, "record.json"), JSON.stringify(record(keys[0]!, "bounce", [])));
    await writeFile(join(root, "messages", keys[2]!, "record.json"), JSON.stringify(record(keys[2]!, "submission", [["missing-signature", "missing-seal"]])));
    await unlink(join(root, "messages", keys[1]!, "record.json"));
    const t = await truth();
    expect(await counted()).not.toEqual(t);
    expect(await counted(true)).toEqual(t);
  });

  it("fold the ledgers of several processes and skip a line cut short", async () => {
    const keys = await fill();
    const other = join(root, COUNTS_DIR, "ledger-elsewhere-4242.jsonl");
    // Another machine's process wrote a newer version of one record; its last line was cut by a crash.
    await archive.putRecord(keys[2]!, record(keys[2]!, "auto-reply", []));
    const mine = join(root, COUNTS_DIR, ledgerName());
    const last = (await readFile(mine, "utf8")).trimEnd().split("\n").at(-1)!;
    await writeFile(mine, (await readFile(mine, "utf8")).trimEnd().split("\n").slice(0, -1).join("\n") + "\n");
    await appendFile(other, `${last}\n{"t":"rec","key":"${keys[3]}","ki`);
    expect(await counted()).toEqual(await truth());
  });

  it("stay right when the archive is written while it is recounted", async () => {
    const keys = await fill();
    const writes = (async () => {
      for (const [i, key] of keys.entries()) await archive.putRecord(key, record(key, "submission", [i % 2 ? ["missing-seal"] : ["scan-mismatch"]]));
    })();
    await Promise.all([writes, recountArchive(root)]);
    expect(await counted()).toEqual(await truth());
  });
});
