// The sample mailboxes through the watcher: each email lands in the mailboxes it
// was sent to, and the archive holds each message once, seen where the ground truth says.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Archive } from "../packages/archive/src/archive.js";
import { createQueues } from "../packages/jobs/src/queues.js";
import { redisOptionsFromUrl } from "../packages/jobs/src/connection.js";
import { messageKeyOf } from "../packages/mail/src/message-key.js";
import { createMailUser, deliver, removeMailUser, uniqueName } from "./support/dovecot.js";
import { eventually, REDIS_URL, startDaemon, writeDaemonConfig, type TestMailbox } from "./support/daemon.js";
import { samplesDir } from "./support/samples.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

describe("intake run over the sample mailboxes", () => {
  it("archives every message once with the mailboxes it arrived in", async () => {
    const root = samplesDir;
    const folders = (await readdir(join(root, "mailboxes"))).sort();
    const boxes: TestMailbox[] = [];
    const expectedBoxes = new Map<string, string[]>();
    for (const id of folders) {
      const u = await createMailUser(uniqueName("corpus"), uniqueName("pw"));
      cleanups.push(() => removeMailUser(u.user));
      boxes.push({ id, ...u });
      for (const f of (await readdir(join(root, "mailboxes", id))).filter((n) => n.endsWith(".eml")).sort()) {
        const raw = await readFile(join(root, "mailboxes", id, f));
        await deliver(u.user, raw);
        const truth = JSON.parse(await readFile(join(root, "expected", f.replace(/\.eml$/, ".json")), "utf8")) as { mailboxes: string[] };
        expectedBoxes.set(messageKeyOf(raw), [...truth.mailboxes].sort());
      }
    }
    const expectedCount = (await readdir(join(root, "expected"))).filter((n) => n.endsWith(".json")).length;
    expect(boxes.length).toBeGreaterThan(1);

    const prefix = uniqueName("t-corpus");
    const cfg = await writeDaemonConfig(boxes, { prefix });
    cleanups.push(cfg.cleanup);
    const q = createQueues({ connection: redisOptionsFromUrl(REDIS_URL, { maxRetriesPerRequest: 3 }), prefix });
    cleanups.push(async () => {
      await q.queue("parse").obliterate({ force: true });
      await q.close();
    });
    const archive = new Archive({ root: cfg.archiveDir });
    const daemon = startDaemon(cfg.configFile, { roles: "poll" });
    cleanups.push(() => daemon.stop("SIGKILL"));
    const lastUids = new Map<string, number>();
    for (const b of boxes) lastUids.set(b.id, (await readdir(join(root, "mailboxes", b.id))).filter((n) => n.endsWith(".eml")).length);
    await eventually(
      async () => {
        for (const [id, last] of lastUids) if ((await archive.getCheckpoint(id))?.lastUid !== last) return false;
        return true;
      },
      200_000,
      daemon,
    );
    expect(await daemon.stop("SIGTERM")).toBe(0);

    const keys = await archive.listMessages();
    expect(keys).toHaveLength(expectedCount);
    expect(new Set(keys)).toEqual(new Set(expectedBoxes.keys()));
    for (const key of keys) {
      const seen = [...new Set((await archive.sightings(key)).map((s) => s.mailbox))].sort();
      expect({ key, seen }).toEqual({ key, seen: expectedBoxes.get(key) });
    }
    expect((await q.queue("parse").getJobCounts("waiting")).waiting).toBe(expectedCount);
  }, 400_000);
});
