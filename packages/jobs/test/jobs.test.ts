import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { IntakeError } from "@intake/schema";
import { defaultJobId, jobId, JOB_NAMES, JOBS } from "../src/catalog.js";
import { redisOptionsFromUrl } from "../src/connection.js";
import { createQueues, type Queues } from "../src/queues.js";
import { startWorkers, type Workers } from "../src/workers.js";
import { createLogger } from "@intake/logger";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

function sink(): { logger: ReturnType<typeof createLogger>; text: () => string } {
  let text = "";
  const destination = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { logger: createLogger({ level: "debug", destination }), text: () => text };
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

function testQueues(): { queues: Queues; prefix: string } {
  const prefix = `t-jobs-${randomBytes(4).toString("hex")}`;
  const queues = createQueues({ connection: redisOptionsFromUrl(REDIS_URL, { maxRetriesPerRequest: 3 }), prefix });
  cleanups.push(async () => {
    for (const n of JOB_NAMES) await queues.queue(n).obliterate({ force: true });
    await queues.close();
  });
  return { queues, prefix };
}

function until<T>(check: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  return (async () => {
    for (;;) {
      const v = await check();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
}

describe("job catalog", () => {
  it("makes deterministic ids without ':'", () => {
    expect(jobId("parse", "a:b@c")).toBe("parse-a_b@c");
    expect(jobId("parse", "x")).toBe(jobId("parse", "x"));
    expect(defaultJobId("scan", { messageKey: "k", group: "g1", files: [], fullText: false })).toBe("scan-k-g1");
    for (const n of JOB_NAMES) expect(JOBS[n].queue).toBe(n);
  });

  it("refuses a payload that does not match the schema", async () => {
    const { queues } = testQueues();
    await expect(queues.add("scan", { messageKey: "k" } as never)).rejects.toThrow(/payload of job scan/);
    await expect(queues.add("ack", { messageKey: "k", reason: "later" } as never)).rejects.toThrow(IntakeError);
  });
});

describe("queues and workers (real Redis)", () => {
  it("holds one job per id and reports counts", async () => {
    const { queues } = testQueues();
    await queues.add("parse", { messageKey: "m1@example.org" });
    await queues.add("parse", { messageKey: "m1@example.org" });
    await queues.add("parse", { messageKey: "m2@example.org" });
    const counts = await queues.counts();
    expect(counts.parse!.waiting).toBe(2);
    expect(counts.ack!.waiting).toBe(0);
    const ids = (await queues.queue("parse").getJobs(["waiting"])).map((j) => j.id).sort();
    expect(ids).toEqual(["parse-m1@example.org", "parse-m2@example.org"]);
  });

  it("runs handlers with a logger bound to the job, and fails permanent errors without retries", async () => {
    const { queues, prefix } = testQueues();
    const { logger, text } = sink();
    const seen: string[] = [];
    let attempts = 0;
    const workers: Workers = startWorkers({
      connection: redisOptionsFromUrl(REDIS_URL),
      prefix,
      roles: ["parse", "ack"],
      logger,
      handlers: {
        async parse({ messageKey }, { logger: l }) {
          l.info("parsing");
          seen.push(messageKey);
          return { ok: true };
        },
        async ack() {
          attempts++;
          throw new IntakeError("SMTP_PERMANENT", "mailbox does not exist");
        },
      },
    });
    cleanups.push(() => workers.close());
    await queues.add("parse", { messageKey: "good@example.org" });
    await queues.add("ack", { messageKey: "good@example.org" });
    await until(async () => ((await queues.queue("parse").getJobCounts("completed")).completed === 1 ? true : undefined));
    const failed = await until(async () => (await queues.queue("ack").getJobs(["failed"]))[0]);
    expect(seen).toEqual(["good@example.org"]);
    expect(attempts).toBe(1);
    expect(failed.failedReason).toContain("SMTP_PERMANENT");
    expect(JOBS.ack.options.attempts).toBeGreaterThan(1);
    const line = text()
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === "parsing");
    expect(line).toMatchObject({ jobId: "parse-good@example.org", messageKey: "good@example.org", queue: "parse" });
  });

  it("lets a running job finish when closed without force", async () => {
    const { queues, prefix } = testQueues();
    const { logger } = sink();
    let started = false;
    const workers = startWorkers({
      connection: redisOptionsFromUrl(REDIS_URL),
      prefix,
      roles: ["parse"],
      logger,
      handlers: {
        async parse() {
          started = true;
          await new Promise((r) => setTimeout(r, 1_500));
          return "done";
        },
      },
    });
    await queues.add("parse", { messageKey: "inflight@example.org" });
    await until(async () => (started ? true : undefined));
    await workers.close();
    const job = await queues.queue("parse").getJob("parse-inflight@example.org");
    expect(await job!.getState()).toBe("completed");
    expect(job!.returnvalue).toBe("done");
  });

  it("hands a job back when closed with force, and another worker finishes it", async () => {
    const { queues, prefix } = testQueues();
    const { logger } = sink();
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    let started = false;
    const first = startWorkers({
      connection: redisOptionsFromUrl(REDIS_URL),
      prefix,
      roles: ["assemble"],
      logger,
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
      handlers: {
        async assemble() {
          started = true;
          await blocked;
        },
      },
    });
    await queues.add("assemble", { messageKey: "slow@example.org" });
    await until(async () => (started ? true : undefined));
    await first.close(true);
    release();
    const done: string[] = [];
    const second = startWorkers({
      connection: redisOptionsFromUrl(REDIS_URL),
      prefix,
      roles: ["assemble"],
      logger,
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
      handlers: {
        async assemble({ messageKey }) {
          done.push(messageKey);
        },
      },
    });
    cleanups.push(() => second.close());
    // A force-closed job is stalled; BullMQ's stall check moves it back to wait.
    await until(async () => (done.length ? true : undefined), 30_000);
    expect(done).toEqual(["slow@example.org"]);
  });
});

describe("logger", () => {
  it("redacts secrets at any usual depth", () => {
    const { logger, text } = sink();
    logger.info({ password: "p1", smtp: { pass: "p2", auth: { user: "u", pass: "p3" } }, settings: { mailboxes: [{ id: "a", password: "p4" }] }, token: "p5" }, "x");
    for (const s of ["p1", "p2", "p3", "p4", "p5"]) expect(text()).not.toContain(`"${s}"`);
    expect(text()).toContain("[redacted]");
  });
});
