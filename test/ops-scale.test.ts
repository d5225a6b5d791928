// Scaling out: two worker processes on the same queues (as on two machines
// sharing Redis and the archive) yield one record and one receipt per email,
// even when the email arrives in both mailboxes.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Archive } from "../packages/archive/src/archive.js";
import { redisOptionsFromUrl } from "../packages/jobs/src/connection.js";
import { createQueues } from "../packages/jobs/src/queues.js";
import { messageKeyOf } from "../packages/mail/src/message-key.js";
import { createMailUser, deliver, removeMailUser, uniqueName } from "./support/dovecot.js";
import { eventually, REDIS_URL, startDaemon, writeDaemonConfig, type DaemonProcess, type LogLine } from "./support/daemon.js";
import { sampleEmails } from "./support/samples.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

describe("two worker processes on one set of queues", () => {
  it("make one record and send one receipt per email", async () => {
    const emails = await sampleEmails("guoyunlong", 3);
    const keys = emails.map((e) => messageKeyOf(e)).sort();
    const users = [await createMailUser(uniqueName("scale"), uniqueName("pw")), await createMailUser(uniqueName("scale"), uniqueName("pw"))];
    for (const u of users) cleanups.push(() => removeMailUser(u.user));
    const prefix = uniqueName("t-scale");
    const queues = createQueues({ connection: redisOptionsFromUrl(REDIS_URL, { maxRetriesPerRequest: 3 }), prefix });
    cleanups.push(async () => {
      for (const n of ["parse", "scan", "assemble", "ack"] as const) await queues.queue(n).obliterate({ force: true });
      await queues.close();
    });
    // (The test config gives each daemon a free ops port, so two can run on one machine.)
    const cfg = await writeDaemonConfig(
      [
        { id: "guoyunlong", ...users[0]! },
        { id: "qijiaru", ...users[1]! },
      ],
      { prefix },
    );
    cleanups.push(cfg.cleanup);
    // The same emails in both mailboxes: each is taken twice and must still be worked on once.
    for (const e of emails) for (const u of users) await deliver(u.user, e);

    const procs: DaemonProcess[] = [
      startDaemon(cfg.configFile, { roles: "poll,parse,scan,assemble,ack" }),
      startDaemon(cfg.configFile, { roles: "parse,scan,assemble,ack" }),
    ];
    for (const p of procs) cleanups.push(() => p.stop("SIGKILL"));

    const archive = new Archive({ root: cfg.archiveDir });
    const receiptsOf = (key: string): LogLine[] =>
      procs.flatMap((p) => p.lines.filter((l) => l.msg === "receipt" && l.ackKey === key && l.sent === true));
    await eventually(
      async () => {
        for (const key of keys) {
          const rec = await archive.readRecord(key);
          if (!rec) return false;
          if (rec.ack && receiptsOf(key).length === 0) return false;
        }
        return true;
      },
      240_000,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n--- worker 1:\n${procs[0]!.output().slice(-3000)}\n--- worker 2:\n${procs[1]!.output().slice(-3000)}`);
    });
    // Let any duplicate job that was going to run do so before counting.
    await new Promise((r) => setTimeout(r, 3_000));
    await Promise.all(procs.map((p) => p.stop()));

    expect((await archive.listMessages()).sort()).toEqual(keys);
    for (const key of keys) {
      expect((await archive.sightings(key)).map((s) => s.mailbox).sort()).toEqual(["guoyunlong", "qijiaru"]);
      const rec = (await archive.readRecord(key))!;
      expect(rec.kind).toBe("submission");
      expect(rec.ack).toBe(true);
      // Exactly one receipt went out, on its first attempt, across both processes.
      expect(receiptsOf(key)).toHaveLength(1);
      const log = (await archive.readJson<{ status: string; attempts: number; resends: number }>(`acks/${key}.json`))!;
      expect(log).toMatchObject({ status: "sent", attempts: 1, resends: 0 });
    }
    const outbox = (await readdir(join(cfg.archiveDir, "outbox"))).filter((n) => n.endsWith(".eml"));
    expect(outbox).toHaveLength(keys.length);
    // One parse job per message, whichever process ran it.
    const parse = await queues.queue("parse").getJobs(["completed", "failed", "waiting", "active", "delayed"]);
    expect(parse.map((j) => j.id).sort()).toEqual(keys.map((k) => `parse-${k}`).sort());
    expect(parse.every((j) => j.finishedOn && !j.failedReason)).toBe(true);
  }, 330_000);
});
