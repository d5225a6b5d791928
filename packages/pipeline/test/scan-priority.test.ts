// A Word-plus-scan email's scan (the sign-off page only) is taken before a
// scan-only email's (every page read) that was queued earlier; with the
// priority off, the queue is first come, first served.
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadCall } from "@intake/schema";
import { messageKeyOf } from "@intake/mail";
import { Archive } from "@intake/archive";
import { createQueues, JOB_NAMES, redisOptionsFromUrl, startWorkers } from "@intake/jobs";
import { createParseHandlers, SCAN_ONLY_PRIORITY } from "../src/handlers.js";
import { createLogger } from "@intake/logger";
import { archiveIncoming } from "../src/runner/incoming.js";
import { createPipelineRunner } from "../src/runner/runner.js";
import { createScanProcesses } from "../src/runner/scan-processes.js";
import { repoRoot } from "../../../test/support/paths.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const call = loadCall(join(repoRoot, "config/calls/2026.yaml"));
const logger = createLogger({ level: "silent" });
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** Parses a scan-only email, then a Word-plus-scan one, and returns the order a one-at-a-time scan worker takes their scans in. */
async function scanOrder(prioritizeFormScans: boolean): Promise<{ order: string[]; scanOnly: string; withForm: string; priorities: Record<string, number | undefined> }> {
  const root = await mkdtemp(join(tmpdir(), "scan-priority-"));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  const archive = new Archive({ root });
  await archive.init();
  // samples/expected: msg-001 is scan-only, msg-005 a Word form with its scan.
  const scanOnlyRaw = await readFile(join(repoRoot, "samples/mailboxes/qijiaru/msg-001.eml"));
  const withFormRaw = await readFile(join(repoRoot, "samples/mailboxes/guoyunlong/msg-005.eml"));
  for (const [mailbox, raw] of [["qijiaru", scanOnlyRaw], ["guoyunlong", withFormRaw]] as const) await archiveIncoming(archive, { mailbox, raw });
  const scanOnly = messageKeyOf(scanOnlyRaw);
  const withForm = messageKeyOf(withFormRaw);

  const prefix = `t-prio-${randomBytes(4).toString("hex")}`;
  const queues = createQueues({ connection: redisOptionsFromUrl(REDIS_URL, { maxRetriesPerRequest: 3 }), prefix });
  const runner = createPipelineRunner({ archive, call, logger, scans: () => createScanProcesses({ archiveRoot: archive.root, logger }) });
  const handlers = createParseHandlers({ runner, queues, prioritizeFormScans });
  const parse = startWorkers({ connection: redisOptionsFromUrl(REDIS_URL), prefix, roles: ["parse"], handlers, logger });
  cleanups.push(async () => {
    await parse.close(true);
    await runner.close();
    for (const n of JOB_NAMES) await queues.queue(n).obliterate({ force: true });
    await queues.close();
  });
  // The scan-only email first: without priorities its OCR would be first in line.
  await queues.add("parse", { messageKey: scanOnly });
  const until = Date.now() + 60_000;
  while ((await queues.queue("scan").getJobCountByTypes("waiting", "prioritized")) < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  await queues.add("parse", { messageKey: withForm });
  while ((await queues.queue("scan").getJobCountByTypes("waiting", "prioritized")) < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  await parse.close();

  const jobs = await queues.queue("scan").getJobs(["waiting", "prioritized"]);
  const priorities = Object.fromEntries(jobs.map((j) => [(j.data as { messageKey: string }).messageKey, j.opts.priority || undefined]));
  // The order is what is tested, not the OCR: this worker only notes which scan it was given.
  const order: string[] = [];
  const scan = startWorkers({
    connection: redisOptionsFromUrl(REDIS_URL),
    prefix,
    roles: ["scan"],
    handlers: { scan: async ({ messageKey }) => void order.push(messageKey) },
    logger,
  });
  cleanups.push(() => scan.close(true));
  while (order.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  return { order, scanOnly, withForm, priorities };
}

describe("scan priority", () => {
  it("takes a Word-plus-scan email's scan before an earlier scan-only one's", async () => {
    const r = await scanOrder(true);
    expect(r.priorities).toEqual({ [r.scanOnly]: SCAN_ONLY_PRIORITY, [r.withForm]: undefined });
    expect(r.order).toEqual([r.withForm, r.scanOnly]);
  }, 120_000);

  it("is first come, first served with the priority off", async () => {
    const r = await scanOrder(false);
    expect(r.priorities).toEqual({ [r.scanOnly]: undefined, [r.withForm]: undefined });
    expect(r.order).toEqual([r.scanOnly, r.withForm]);
  }, 120_000);
});
