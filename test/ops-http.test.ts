// The daemon's health and metrics endpoint against real Redis and a real archive folder.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Archive } from "../packages/archive/src/archive.js";
import { redisOptionsFromUrl } from "../packages/jobs/src/connection.js";
import { createQueues, type Queues } from "../packages/jobs/src/queues.js";
import type { JobHandler } from "../packages/jobs/src/workers.js";
import { instrumentHandlers, instrumentIngest } from "../packages/metrics/src/instrument.js";
import { emptyFields, type MessageResult } from "../packages/schema/src/index.js";
import { createMetrics, type IntakeMetrics } from "../packages/metrics/src/metrics.js";
import { startOpsServer, type OpsServer } from "../packages/ops/src/http-server.js";
import { archiveReady, redisUrlReady } from "../packages/ops/src/readiness.js";
import { createLogger } from "../packages/logger/src/logger.js";
import { REDIS_URL } from "./support/daemon.js";

const prefix = `ops-http-${randomBytes(4).toString("hex")}`;
let dir: string;
let archive: Archive;
let queues: Queues;
let endpoint: OpsServer & { metrics: IntakeMetrics };

function submission(flags: string[]): MessageResult["submissions"][number] {
  return { word: "form.docx", scan: [], fields: emptyFields(), signoff: { signature: null, seal: null }, flags };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "intake-ops-http-"));
  archive = new Archive({ root: join(dir, "archive") });
  await archive.init();
  const raw = (id: string) => Buffer.from(`Message-ID: <${id}@test>\r\nSubject: t\r\n\r\nbody\r\n`);
  for (const [key, rec] of [
    ["a@test", { kind: "submission", ack: true, submissions: [submission(["missing-seal", "missing:applicant.name"]), submission(["missing-seal"])] }],
    ["b@test", { kind: "newsletter", ack: false, submissions: [] }],
  ] as const) {
    await archive.putRaw(key, raw(key), { mailbox: "guoyunlong", seenAt: new Date().toISOString() });
    await archive.putRecord(key, { messageId: key, messageKey: key, ...rec, submissions: [...rec.submissions] } as MessageResult);
  }
  // Archived, not yet recorded: in flight.
  await archive.putRaw("c@test", raw("c"), { mailbox: "qijiaru", seenAt: new Date().toISOString() });
  await archive.putJson("acks/a@test.json", { ackKey: "a@test", status: "sent" });
  await archive.putJson("acks-failed/x@test.json", { ackKey: "x@test", status: "failed" });

  queues = createQueues({ connection: redisOptionsFromUrl(REDIS_URL, { maxRetriesPerRequest: 1 }), prefix });
  await queues.add("parse", { messageKey: "c@test" });
  // Wired as the daemon wires it.
  const metrics = createMetrics({ queues, archive, logger: createLogger({ level: "silent" }) });
  const server = await startOpsServer({
    port: 0,
    host: "127.0.0.1",
    registry: metrics.registry,
    readiness: [redisUrlReady(REDIS_URL), archiveReady(archive.root)],
  });
  endpoint = Object.assign(server, { metrics });
});

afterAll(async () => {
  await endpoint?.close();
  for (const n of ["parse", "scan", "assemble", "ack"] as const) await queues?.queue(n).obliterate({ force: true }).catch(() => undefined);
  await queues?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("ops endpoint", () => {
  it("answers /healthz and /readyz while Redis and the archive answer", async () => {
    const health = await fetch(`${endpoint.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${endpoint.url}/readyz`);
    const body = (await ready.json()) as { ready: boolean; checks: Array<{ name: string; ok: boolean }> };
    expect(body.checks.filter((c) => !c.ok)).toEqual([]);
    expect(ready.status).toBe(200);
    expect(body.checks.map((c) => c.name).sort()).toEqual(["archive", "redis"]);
    expect((await fetch(`${endpoint.url}/nope`)).status).toBe(404);
  });

  it("serves queue depths, submissions by flag, records and the receipt log as Prometheus text", async () => {
    const res = await fetch(`${endpoint.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^intake_queue_jobs\{queue="parse",state="waiting"\} 1$/m);
    expect(text).toMatch(/^intake_submissions\{flag="all"\} 2$/m);
    expect(text).toMatch(/^intake_submissions\{flag="missing-seal"\} 2$/m);
    expect(text).toMatch(/^intake_submissions\{flag="missing:applicant.name"\} 1$/m);
    expect(text).toMatch(/^intake_records\{kind="submission"\} 1$/m);
    expect(text).toMatch(/^intake_records\{kind="pending"\} 1$/m);
    expect(text).toMatch(/^intake_receipt_log\{status="sent"\} 1$/m);
    expect(text).toMatch(/^intake_receipt_log\{status="failed-list"\} 1$/m);
    expect(text).toMatch(/^intake_process_cpu_seconds_total /m);
  });

  it("counts instrumented jobs, scans, receipts and ingested messages", async () => {
    const plain: { scan: JobHandler<"scan">; ack: JobHandler<"ack">; parse: JobHandler<"parse"> } = {
      scan: async () => undefined,
      ack: async (p) => ({ sent: p.messageKey === "a@test", why: "x" }),
      parse: async () => {
        throw new Error("boom");
      },
    };
    const handlers = instrumentHandlers(plain, endpoint.metrics);
    const ctx = {} as Parameters<JobHandler<"scan">>[1];
    await handlers.scan({ messageKey: "a@test", group: "g", files: [], fullText: false }, ctx);
    await handlers.ack({ messageKey: "a@test" }, ctx);
    await handlers.ack({ messageKey: "b@test" }, ctx);
    await expect(handlers.parse({ messageKey: "a@test" }, ctx)).rejects.toThrow("boom");
    const ingest = instrumentIngest(async (m) => ({ messageKey: m.mailbox, created: true, enqueued: true, jobId: "x" }), endpoint.metrics);
    await ingest({ mailbox: "qijiaru", raw: Buffer.from("x") });

    const text = await (await fetch(`${endpoint.url}/metrics`)).text();
    expect(text).toMatch(/^intake_job_duration_seconds_count\{queue="scan",outcome="completed"\} 1$/m);
    expect(text).toMatch(/^intake_job_duration_seconds_count\{queue="parse",outcome="failed"\} 1$/m);
    expect(text).toMatch(/^intake_ocr_seconds_count 1$/m);
    expect(text).toMatch(/^intake_receipts_total\{outcome="sent"\} 1$/m);
    expect(text).toMatch(/^intake_receipts_total\{outcome="skipped"\} 1$/m);
    expect(text).toMatch(/^intake_messages_seen_total\{mailbox="qijiaru",new="true"\} 1$/m);
  });

  it("reports not ready, with the failing check, when Redis does not answer", async () => {
    const dead = redisUrlReady("redis://127.0.0.1:1", 500);
    const server = await startOpsServer({ port: 0, host: "127.0.0.1", registry: endpoint.metrics.registry, readiness: [dead], readinessTimeoutMs: 1_000 });
    try {
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { ready: boolean; checks: Array<{ name: string; ok: boolean }> };
      expect(body).toMatchObject({ ready: false, checks: [{ name: "redis", ok: false }] });
    } finally {
      await server.close();
    }
  });
});
