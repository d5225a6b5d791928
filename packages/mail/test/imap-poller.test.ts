// The IMAP watcher on its own against the test Dovecot, with an in-memory sink and checkpoint store.
import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { ImapPoller, type MarkHandledMode } from "../src/imap/poller.js";
import { messageKeyOf } from "../src/message-key.js";
import type { MailboxCheckpoint, SourceMessage } from "../src/sources/source.js";
import { createMailUser, deliver, flagsByUid, removeMailUser, searchUids, uniqueName, type MailUser } from "../../../test/support/dovecot.js";
import { eventually } from "../../../test/support/daemon.js";
import { sampleEmails } from "../../../test/support/samples.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

function memoryCheckpoints(initial?: MailboxCheckpoint) {
  const map = new Map<string, MailboxCheckpoint>();
  if (initial) map.set("box", initial);
  return { map, get: async (m: string) => map.get(m) ?? null, set: async (m: string, cp: MailboxCheckpoint) => void map.set(m, cp) };
}

async function user(): Promise<MailUser> {
  const u = await createMailUser(uniqueName("poller"), uniqueName("pw"));
  cleanups.push(() => removeMailUser(u.user));
  return u;
}

function poller(u: MailUser, opts: { taken: SourceMessage[]; checkpoints: ReturnType<typeof memoryCheckpoints>; mark?: MarkHandledMode; intervalMs?: number; fail?: () => boolean; maxMessageBytes?: number }) {
  const p = new ImapPoller({
    mailbox: "box",
    host: u.host,
    port: u.port,
    secure: false,
    user: u.user,
    password: u.password,
    markHandled: opts.mark ?? { mode: "keyword", keyword: "$IntakeArchived" },
    checkpoints: opts.checkpoints,
    onMessage: async (m) => {
      if (opts.fail?.()) throw new Error("sink down");
      opts.taken.push(m);
    },
    intervalMs: opts.intervalMs ?? 60_000,
    backoff: { minMs: 200, maxMs: 1_000 },
    ...(opts.maxMessageBytes ? { maxMessageBytes: opts.maxMessageBytes } : {}),
    logger: pino({ level: "silent" }),
  });
  cleanups.push(() => p.stop());
  return p;
}

describe("ImapPoller", () => {
  it("takes only messages above the checkpoint, oldest first, and announces new mail through IDLE", async () => {
    const mails = await sampleEmails("guoyunlong", 4);
    const u = await user();
    for (const m of mails.slice(0, 3)) await deliver(u.user, m);
    const uidValidity = await (async () => {
      // Learn the folder's UIDVALIDITY by a first run that takes everything.
      const taken: SourceMessage[] = [];
      const cps = memoryCheckpoints();
      const p = poller(u, { taken, checkpoints: cps });
      p.start();
      await eventually(async () => cps.map.get("box")?.lastUid === 3);
      await p.stop();
      expect(taken.map((t) => t.uid)).toEqual([1, 2, 3]);
      expect(taken.map((t) => messageKeyOf(t.raw))).toEqual(mails.slice(0, 3).map(messageKeyOf));
      expect(taken.every((t) => t.internalDate && t.mailbox === "box")).toBe(true);
      return cps.map.get("box")!.uidValidity;
    })();

    const taken: SourceMessage[] = [];
    const cps = memoryCheckpoints({ uidValidity, lastUid: 2 });
    const p = poller(u, { taken, checkpoints: cps, intervalMs: 600_000 });
    p.start();
    await eventually(async () => cps.map.get("box")?.lastUid === 3);
    expect(taken.map((t) => t.uid)).toEqual([3]);
    // With a ten-minute interval only IDLE can bring this one in time.
    await deliver(u.user, mails[3]!);
    await eventually(async () => cps.map.get("box")?.lastUid === 4, 20_000);
    expect(taken.map((t) => t.uid)).toEqual([3, 4]);
    for (const [, flags] of await flagsByUid(u.user)) {
      expect(flags).toContain("$IntakeArchived");
      expect(flags).not.toContain("\\Seen");
    }
  });

  it("re-scans the whole folder when UIDVALIDITY changes", async () => {
    const mails = await sampleEmails("qijiaru", 2);
    const u = await user();
    for (const m of mails) await deliver(u.user, m);
    const taken: SourceMessage[] = [];
    const cps = memoryCheckpoints({ uidValidity: "1", lastUid: 99 });
    const p = poller(u, { taken, checkpoints: cps });
    p.start();
    await eventually(async () => cps.map.get("box")?.lastUid === 2);
    expect(taken.map((t) => t.uid)).toEqual([1, 2]);
    expect(cps.map.get("box")!.uidValidity).not.toBe("1");
  });

  it("moves handled mail to a folder when so configured, never deleting it", async () => {
    const [m] = await sampleEmails("qijiaru", 1);
    const u = await user();
    await deliver(u.user, m!);
    const taken: SourceMessage[] = [];
    const cps = memoryCheckpoints();
    const p = poller(u, { taken, checkpoints: cps, mark: { mode: "move", folder: "Intake-Archived" } });
    p.start();
    await eventually(async () => cps.map.get("box")?.lastUid === 1);
    await p.stop();
    expect(await searchUids(u.user, "ALL")).toEqual([]);
    expect(await searchUids(u.user, "ALL", "Intake-Archived")).toHaveLength(1);
  });

  it("leaves a message unmarked and the checkpoint where it was while the sink fails, then takes it", async () => {
    const [m] = await sampleEmails("guoyunlong", 1);
    const u = await user();
    await deliver(u.user, m!);
    const taken: SourceMessage[] = [];
    const cps = memoryCheckpoints();
    let failures = 0;
    const p = poller(u, { taken, checkpoints: cps, fail: () => failures++ < 2 });
    p.start();
    await eventually(async () => cps.map.get("box")?.lastUid === 1, 30_000);
    expect(failures).toBeGreaterThanOrEqual(3);
    expect(taken).toHaveLength(1);
    expect((await flagsByUid(u.user)).get(1)).toContain("$IntakeArchived");
  });

  it("hands over only the headers and size of a message over the size limit, and leaves it unmarked", async () => {
    const [small, big] = await sampleEmails("guoyunlong", 2).then((ms) => [...ms].sort((a, b) => a.length - b.length));
    const u = await user();
    await deliver(u.user, big!);
    await deliver(u.user, small!);
    const taken: SourceMessage[] = [];
    const cps = memoryCheckpoints();
    const p = poller(u, { taken, checkpoints: cps, maxMessageBytes: big!.length - 1 });
    p.start();
    await eventually(async () => cps.map.get("box")?.lastUid === 2);
    expect(taken.map((t) => t.uid)).toEqual([1, 2]);
    const [over, whole] = taken;
    expect(over!.oversized).toEqual({ size: expect.any(Number), limit: big!.length - 1 });
    expect(over!.oversized!.size).toBeGreaterThan(big!.length - 1);
    // Headers only, with the same Message-ID (so the same key as the whole email would get).
    expect(over!.raw.length).toBeLessThan(big!.length / 2);
    expect(messageKeyOf(over!.raw)).toBe(messageKeyOf(big!));
    expect(whole!.oversized).toBeUndefined();
    expect((await flagsByUid(u.user)).get(1)).not.toContain("$IntakeArchived");
    expect((await flagsByUid(u.user)).get(2)).toContain("$IntakeArchived");
  });
});
