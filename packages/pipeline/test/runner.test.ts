// The one runner: the daemon's jobs and the one-process run (intake parse,
// replay) end a message the same way, also when a step fails for good, and an
// email too large to take still gets a record.
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { loadCall, type MessageResult } from "@intake/schema";
import { messageKeyOf, rawMessageId } from "@intake/mail";
import { Archive } from "@intake/archive";
import { JOB_NAMES } from "@intake/jobs";
import { redisOptionsFromUrl } from "@intake/jobs";
import { createQueues } from "@intake/jobs";
import { startWorkers } from "@intake/jobs";
import { createParseHandlers } from "../src/handlers.js";
import { createLogger } from "@intake/logger";
import { archiveIncoming, headersOf } from "../src/runner/incoming.js";
import { createPipelineRunner } from "../src/runner/runner.js";
import { createScanProcesses } from "../src/runner/scan-processes.js";
import { repoRoot } from "../../../test/support/paths.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const call = loadCall(join(repoRoot, "config/calls/2026.yaml"));
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

function capture() {
  let text = "";
  const destination = new Writable({
    write(chunk, _e, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { logger: createLogger({ level: "debug", destination }), lines: () => text.split("\n").filter(Boolean) };
}

async function archiveWith(raws: Buffer[]): Promise<Archive> {
  const root = await mkdtemp(join(tmpdir(), "runner-test-"));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const archive = new Archive({ root });
  await archive.init();
  for (const raw of raws) await archiveIncoming(archive, { mailbox: "qijiaru", raw });
  return archive;
}

/** A real failure of ours: the message's work folder cannot be made (a file stands in its way). */
async function breakWorkFolder(archive: Archive, key: string): Promise<void> {
  await mkdir(archive.messageDir(key), { recursive: true });
  await writeFile(join(archive.messageDir(key), "work"), "not a folder");
}

async function sampleMail(): Promise<Buffer[]> {
  const dir = join(repoRoot, "samples/mailboxes/qijiaru");
  return Promise.all((await readdir(dir)).sort().map((n) => readFile(join(dir, n))));
}

const shape = (r: MessageResult | null) => r && { kind: r.kind, ack: r.ack, failedStep: r.failedStep, review: r.review?.needed, codes: r.review?.reasons.map((x) => x.code), subs: r.submissions.length };

describe("the pipeline runner", () => {
  it("writes the same failure record from the jobs and from a one-process run when a step fails for good", async () => {
    const [raw] = await sampleMail();
    const key = messageKeyOf(raw!);

    // One-process run (intake parse / replay).
    const offline = await archiveWith([raw!]);
    await breakWorkFolder(offline, key);
    const runner = createPipelineRunner({ archive: offline, call, logger: createLogger({ level: "silent" }), scans: () => createScanProcesses({ archiveRoot: offline.root, logger: createLogger({ level: "silent" }) }) });
    const out = await runner.runAll([key]);
    await runner.close();
    expect(out.failed.map((f) => [f.messageKey, f.step])).toEqual([[key, "parse"]]);
    const a = await offline.readRecord(key);
    expect(a?.error).toMatch(/work/);

    // The daemon's jobs, retried with backoff until the last attempt.
    const daemon = await archiveWith([raw!]);
    await breakWorkFolder(daemon, key);
    const prefix = `t-runner-${randomBytes(4).toString("hex")}`;
    const queues = createQueues({ connection: redisOptionsFromUrl(REDIS_URL, { maxRetriesPerRequest: 3 }), prefix });
    const { logger, lines } = capture();
    const jobRunner = createPipelineRunner({ archive: daemon, call, logger, scans: () => createScanProcesses({ archiveRoot: daemon.root, logger }) });
    const workers = startWorkers({ connection: redisOptionsFromUrl(REDIS_URL), prefix, roles: ["parse", "assemble"], handlers: createParseHandlers({ runner: jobRunner, queues }), logger });
    cleanups.push(async () => {
      await workers.close(true);
      await jobRunner.close();
      for (const n of JOB_NAMES) await queues.queue(n).obliterate({ force: true });
      await queues.close();
    });
    await queues.add("parse", { messageKey: key });
    const end = Date.now() + 60_000;
    let b: MessageResult | null = null;
    while (!(b = await daemon.readRecord(key)) && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
    const job = await queues.queue("parse").getJob(`parse-${key}`);
    expect(job?.attemptsMade).toBe(4);

    expect(shape(b)).toEqual(shape(a));
    expect(shape(b)).toMatchObject({ kind: "other", ack: false, failedStep: "parse", review: true, codes: ["step-failed"], subs: 0 });
    expect(b!.messageId).toBe(a!.messageId);
    expect(b!.messageId).toBe(`<${rawMessageId(raw!)}>`);
    // One messageKey per JSON line, even where the job's logger and the step both name it.
    for (const line of lines()) expect(line.match(/"messageKey":/g)?.length ?? 0, line).toBeLessThanOrEqual(1);
  }, 120_000);

  it("keeps an email too large to take as its headers, with a flag, a record and no receipt", async () => {
    const [raw] = await sampleMail();
    const key = messageKeyOf(raw!);
    const archive = await archiveWith([]);
    await archiveIncoming(archive, { mailbox: "guoyunlong", raw: headersOf(raw!), oversized: { size: 150 * 1024 * 1024, limit: 100 * 1024 * 1024 } });
    const runner = createPipelineRunner({ archive, call, logger: createLogger({ level: "silent" }), scans: () => createScanProcesses({ archiveRoot: archive.root, logger: createLogger({ level: "silent" }) }) });
    const out = await runner.runAll([key]);
    await runner.close();
    expect(out.failed).toEqual([]);
    const rec = (await archive.readRecord(key))!;
    expect(rec.messageId).toBe(`<${rawMessageId(raw!)}>`);
    expect(rec.ack).toBe(false);
    expect(rec.kind).not.toBe("submission");
    expect(rec.messageFlags?.map((f) => f.code)).toEqual(["oversized-message"]);
    expect(rec.messageFlags?.[0]?.detail).toMatch(/150\.0 MB/);
    expect(rec.review?.needed).toBe(true);
    expect(rec.review?.reasons.map((r) => r.code)).toEqual(["oversized"]);
    expect((await archive.readRaw(key)).length).toBeLessThan(raw!.length);
  });
});
