// The BullMQ dashboard on the web view: behind the reviewers' login, and
// rendering under its own content security policy in a real Chromium.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Archive } from "@intake/archive";
import { createQueues, redisOptionsFromUrl, type Queues } from "@intake/jobs";
import { Accounts, ArchiveAccountStore } from "@intake/review";
import { loadCall } from "@intake/schema";
import { callPath } from "../../../packages/report/test/sample-archive.js";
import { buildReportServer } from "../src/server.js";
import { launchChromium, listenOnLoopback } from "./browser.js";

const PASSWORD = "dashboard-test-password";
const prefix = `report-dash-${process.pid}`;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let queues: Queues;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "report-dash-"));
  queues = createQueues({ connection: redisOptionsFromUrl(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 3 }), prefix });
  await queues.add("parse", { messageKey: "waiting-message" });
  const accounts = new ArchiveAccountStore(root);
  await new Accounts(accounts).add({ name: "admin", role: "admin", password: PASSWORD });
  app = await buildReportServer({ archive: new Archive({ root }), archiveRoot: root, call: loadCall(callPath), accounts, queues, refreshMs: 0 });
  base = await listenOnLoopback(app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (queues) {
    for (const name of ["parse", "scan", "assemble", "ack"] as const) await queues.queue(name).obliterate({ force: true });
    await queues.close();
  }
  rmSync(root, { recursive: true, force: true });
});

describe("queue dashboard", () => {
  it("is refused without a login, page and API alike", async () => {
    const page = await app.inject({ method: "GET", url: "/admin/queues" });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toMatch(/^\/login/);
    const api = await app.inject({ method: "GET", url: "/admin/queues/api/queues" });
    expect([303, 401]).toContain(api.statusCode);
  });

  it("shows the queues and their jobs to a logged-in admin, with no policy violation", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${base}/login?next=${encodeURIComponent("/admin/queues")}`);
    await page.fill("#name", "admin");
    await page.fill("#password", PASSWORD);
    await Promise.all([page.waitForURL(/\/admin\/queues/), page.click("button[type=submit]")]);
    await page.getByText("parse", { exact: true }).first().waitFor({ timeout: 30_000 });
    for (const q of ["scan", "assemble", "ack"]) expect(await page.getByText(q, { exact: true }).count(), q).toBeGreaterThan(0);
    expect(violations.filter((v) => !/fonts\.googleapis/.test(v))).toEqual([]);
    await context.close();
  });
});
