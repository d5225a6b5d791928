// The daemon as a real process against real Dovecot and Redis: duplicates across
// mailboxes, restarts, mail arriving while down, a crash between archive and enqueue.
import { afterEach, describe, expect, it } from "vitest";
import { Archive } from "../packages/archive/src/archive.js";
import { createQueues, type Queues } from "../packages/jobs/src/queues.js";
import { redisOptionsFromUrl } from "../packages/jobs/src/connection.js";
import { messageKeyOf } from "../packages/mail/src/message-key.js";
import { createMailUser, deliver, flagsByUid, removeMailUser, uniqueName, type MailUser } from "./support/dovecot.js";
import { eventually, REDIS_URL, startDaemon, writeDaemonConfig, type DaemonProcess } from "./support/daemon.js";
import { sampleEmails } from "./support/samples.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

async function mailUser(): Promise<MailUser> {
  const u = await createMailUser(uniqueName("intake"), uniqueName("pw"));
  cleanups.push(() => removeMailUser(u.user));
  return u;
}

function queuesFor(prefix: string): Queues {
  const q = createQueues({ connection: redisOptionsFromUrl(REDIS_URL, { maxRetriesPerRequest: 3 }), prefix });
  cleanups.push(async () => {
    await q.queue("parse").obliterate({ force: true });
    await q.close();
  });
  return q;
}

async function parseJobIds(q: Queues): Promise<string[]> {
  const jobs = await q.queue("parse").getJobs(["waiting", "active", "delayed", "completed", "failed", "prioritized"]);
  return jobs.map((j) => j.id!).sort();
}

function track(d: DaemonProcess): DaemonProcess {
  cleanups.push(() => d.stop("SIGKILL"));
  return d;
}

const archivedLine = (key: string) => (l: Record<string, unknown>) => l.messageKey === key && typeof l.created === "boolean";

describe("intake run (daemon)", () => {
  it("takes an email sent to both mailboxes once, survives a restart without reprocessing, and takes mail that arrived while it was down", async () => {
    const [a, b] = await sampleEmails("guoyunlong", 2);
    const keyA = messageKeyOf(a!);
    const keyB = messageKeyOf(b!);
    const u1 = await mailUser();
    const u2 = await mailUser();
    const prefix = uniqueName("t-daemon");
    const q = queuesFor(prefix);
    const cfg = await writeDaemonConfig(
      [
        { id: "guoyunlong", ...u1 },
        { id: "qijiaru", ...u2 },
      ],
      { prefix },
    );
    cleanups.push(cfg.cleanup);
    const archive = new Archive({ root: cfg.archiveDir });

    await deliver(u1.user, a!);
    await deliver(u2.user, a!);
    const first = track(startDaemon(cfg.configFile, { roles: "poll" }));
    await eventually(async () => (await archive.sightings(keyA)).length === 2, 150_000, first);
    await eventually(async () => (await archive.getCheckpoint("qijiaru"))?.lastUid === 1 && (await archive.getCheckpoint("guoyunlong"))?.lastUid === 1, 60_000, first);
    expect(await archive.listMessages()).toEqual([keyA]);
    expect(await parseJobIds(q)).toEqual([`parse-${keyA}`]);
    // The operations endpoint answers and counts what was taken.
    const ops = await first.waitForLog((l) => typeof l.url === "string" && l.component === "ops-http");
    expect((await fetch(`${String(ops.url)}/healthz`)).status).toBe(200);
    expect((await fetch(`${String(ops.url)}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${String(ops.url)}/metrics`)).text()).toMatch(/intake_messages_seen_total\{[^}]*mailbox="qijiaru"/);
    // Marked handled with the keyword; \Seen untouched.
    for (const u of [u1, u2]) {
      const flags = (await flagsByUid(u.user)).get(1)!;
      expect(flags).toContain("$IntakeArchived");
      expect(flags).not.toContain("\\Seen");
    }
    const t0 = Date.now();
    expect(await first.stop("SIGTERM")).toBe(0);
    expect(Date.now() - t0).toBeLessThan(25_000);
    // The password never reaches the log.
    expect(first.output()).not.toContain(u1.password);
    expect(first.output()).toContain("[redacted]");

    // Arrives while the daemon is down.
    await deliver(u1.user, b!);
    const second = track(startDaemon(cfg.configFile, { roles: "poll" }));
    await second.waitForLog(archivedLine(keyB));
    await eventually(async () => (await archive.getCheckpoint("guoyunlong"))?.lastUid === 2, 150_000, second);
    expect(await second.stop("SIGTERM")).toBe(0);
    expect(second.lines.filter(archivedLine(keyA))).toEqual([]);
    expect(await archive.listMessages()).toEqual([keyA, keyB].sort((x, y) => (x === keyA ? -1 : y === keyA ? 1 : 0)));
    expect(await parseJobIds(q)).toEqual([`parse-${keyA}`, `parse-${keyB}`].sort());
    expect(await archive.sightings(keyB)).toHaveLength(1);
  }, 400_000);

  it("loses nothing when killed between the archive write and the enqueue", async () => {
    const [, , c] = await sampleEmails("qijiaru", 3);
    const key = messageKeyOf(c!);
    const u1 = await mailUser();
    const prefix = uniqueName("t-crash");
    const q = queuesFor(prefix);
    const cfg = await writeDaemonConfig([{ id: "guoyunlong", ...u1 }], { prefix });
    cleanups.push(cfg.cleanup);
    const archive = new Archive({ root: cfg.archiveDir });
    await deliver(u1.user, c!);

    const crashing = track(startDaemon(cfg.configFile, { roles: "poll", env: { INTAKE_FAULT_EXIT_AFTER_ARCHIVE: "1" } }));
    expect(await crashing.exited).toBe("SIGKILL");
    expect(await archive.hasRaw(key)).toBe(true);
    expect(await parseJobIds(q)).toEqual([]);
    expect(await archive.getCheckpoint("guoyunlong")).toBeNull();
    expect((await flagsByUid(u1.user)).get(1)).not.toContain("$IntakeArchived");

    const again = track(startDaemon(cfg.configFile, { roles: "poll" }));
    await again.waitForLog(archivedLine(key));
    await eventually(async () => (await archive.getCheckpoint("guoyunlong"))?.lastUid === 1, 150_000, again);
    expect(await parseJobIds(q)).toEqual([`parse-${key}`]);
    expect((await flagsByUid(u1.user)).get(1)).toContain("$IntakeArchived");
    expect(await again.stop("SIGTERM")).toBe(0);
  }, 400_000);

  it("reports a wrong IMAP password clearly and keeps watching the other mailbox", async () => {
    const [d] = await sampleEmails("qijiaru", 1);
    const key = messageKeyOf(d!);
    const good = await mailUser();
    const bad = await mailUser();
    const prefix = uniqueName("t-auth");
    const q = queuesFor(prefix);
    const cfg = await writeDaemonConfig(
      [
        { id: "guoyunlong", ...good },
        { id: "qijiaru", ...bad, password: "not-the-password" },
      ],
      { prefix },
    );
    cleanups.push(cfg.cleanup);
    await deliver(good.user, d!);
    await deliver(bad.user, d!);
    const daemon = track(startDaemon(cfg.configFile, { roles: "poll" }));
    const err = await daemon.waitForLog((l) => l.code === "IMAP_AUTH");
    expect(err.mailbox).toBe("qijiaru");
    expect(String(err.msg)).toContain("IMAP login failed for mailbox qijiaru");
    expect(String(err.msg)).toContain("INTAKE_MAILBOX_QIJIARU_PASSWORD");
    await daemon.waitForLog(archivedLine(key));
    expect(await parseJobIds(q)).toEqual([`parse-${key}`]);
    expect(daemon.output()).not.toContain("not-the-password");
    expect(await daemon.stop("SIGTERM")).toBe(0);
  }, 400_000);
});
