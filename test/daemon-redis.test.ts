// The daemon keeps its promises across a Redis restart: nothing lost, nothing doubled.
import { afterEach, describe, expect, it } from "vitest";
import { Archive } from "../packages/archive/src/archive.js";
import { createQueues } from "../packages/jobs/src/queues.js";
import { redisOptionsFromUrl } from "../packages/jobs/src/connection.js";
import { messageKeyOf } from "../packages/mail/src/message-key.js";
import { createMailUser, deliver, flagsByUid, removeMailUser, uniqueName } from "./support/dovecot.js";
import { eventually, startDaemon, writeDaemonConfig } from "./support/daemon.js";
import { sampleEmails } from "./support/samples.js";
import { startThrowawayRedis } from "./support/redis-server.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

describe("intake run across a Redis restart", () => {
  it("archives and enqueues mail that arrives while Redis is down once Redis is back", async () => {
    const [e, f] = await sampleEmails("qijiaru", 2);
    const keyE = messageKeyOf(e!);
    const keyF = messageKeyOf(f!);
    const redis = await startThrowawayRedis();
    cleanups.push(() => redis.destroy());
    const u = await createMailUser(uniqueName("intake"), uniqueName("pw"));
    cleanups.push(() => removeMailUser(u.user));
    const prefix = uniqueName("t-redis");
    const cfg = await writeDaemonConfig([{ id: "qijiaru", ...u }], { prefix, redisUrl: redis.url });
    cleanups.push(cfg.cleanup);
    const archive = new Archive({ root: cfg.archiveDir });

    await deliver(u.user, e!);
    const daemon = startDaemon(cfg.configFile, { roles: "poll" });
    cleanups.push(() => daemon.stop("SIGKILL"));
    await eventually(async () => (await archive.getCheckpoint("qijiaru"))?.lastUid === 1, 150_000, daemon);

    await redis.stop();
    await deliver(u.user, f!);
    // The message is safe in the archive at once, but not marked while it cannot be enqueued.
    await eventually(() => archive.hasRaw(keyF), 60_000, daemon);
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await archive.getCheckpoint("qijiaru"))?.lastUid).toBe(1);
    expect((await flagsByUid(u.user)).get(2)).not.toContain("$IntakeArchived");

    await redis.start();
    await eventually(async () => (await archive.getCheckpoint("qijiaru"))?.lastUid === 2, 150_000, daemon);
    expect((await flagsByUid(u.user)).get(2)).toContain("$IntakeArchived");
    expect(await daemon.stop("SIGTERM")).toBe(0);

    const q = createQueues({ connection: redisOptionsFromUrl(redis.url, { maxRetriesPerRequest: 3 }), prefix });
    try {
      const jobs = await q.queue("parse").getJobs(["waiting", "active", "delayed", "completed", "failed"]);
      expect(jobs.map((j) => j.id).sort()).toEqual([`parse-${keyE}`, `parse-${keyF}`].sort());
    } finally {
      await q.close();
    }
    expect(await archive.listMessages()).toHaveLength(2);
  }, 400_000);
});
