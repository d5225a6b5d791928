// The short chaos run: the sample mailboxes through the real daemon with a
// Redis of its own (AOF on) and an SMTP peer, SIGKILLed twice at seeded
// moments; nothing may be lost, doubled under two Message-IDs, or changed.
// The long form is `npm run chaos`.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compare, runChaos, summary } from "./chaos/harness.js";
import { startThrowawayRedis, type ThrowawayRedis } from "./support/redis-server.js";
import { repoRoot } from "./support/paths.js";

let redis: ThrowawayRedis;
let workDir: string;
beforeAll(async () => {
  redis = await startThrowawayRedis({ appendonly: true });
  workDir = await mkdtemp(join(tmpdir(), "intake-chaos-test-"));
});
afterAll(async () => {
  await redis?.destroy();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe("the daemon killed twice", () => {
  it("keeps every record and receipt of a clean run, each receipt under one Message-ID", async () => {
    const base = { corpus: join(repoRoot, "samples"), redisUrl: redis.url, workDir, timeoutMs: 300_000, maxGapMs: 15_000 };
    const clean = await runChaos({ ...base, kills: 0, seed: 0 });
    expect(clean.finished).toBe(true);
    expect(clean.receipts.size).toBeGreaterThan(0);
    const run = await runChaos({ ...base, kills: 2, seed: 11 });
    const cmp = compare(clean, run);
    console.log(summary("chaos (2 kills)", run, cmp));
    expect(run.finished).toBe(true);
    expect(cmp.recordsLost).toBe(0);
    expect(cmp.recordsDuplicated).toBe(0);
    expect(cmp.recordsDiffering).toEqual([]);
    expect(cmp.receiptsLost).toEqual([]);
    expect(cmp.receiptsExtra).toEqual([]);
    expect(cmp.receiptsDiffering).toEqual([]);
    // A kill between the server's acceptance and the sent-log's "sent" sends the receipt again
    // with the same Message-ID (README, "At most one receipt"); never under a second one.
    expect(cmp.receiptsWithTwoIds).toEqual([]);
    expect(run.unknownReceipts).toBe(0);
    expect(clean.duplicateKeyLines + run.duplicateKeyLines).toBe(0);
  }, 600_000);
});
