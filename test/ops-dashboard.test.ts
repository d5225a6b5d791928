// The BullMQ dashboard mounted on a fastify server behind a login guard, over real Redis.
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisOptionsFromUrl } from "../packages/jobs/src/connection.js";
import { createQueues, type Queues } from "../packages/jobs/src/queues.js";
import { mountQueueDashboard } from "../packages/dashboard/src/dashboard.js";
import { REDIS_URL } from "./support/daemon.js";
import { uniqueName } from "./support/dovecot.js";
import { repoRoot } from "./support/paths.js";

// fastify is the web view's (and the dashboard's) dependency, not the workspace root's.
type App = Parameters<typeof mountQueueDashboard>[0];
const fastify = createRequire(join(repoRoot, "packages/dashboard/package.json"))("fastify") as (opts?: object) => App;

const prefix = uniqueName("t-ops-board");
let queues: Queues;
let app: App;

beforeAll(async () => {
  queues = createQueues({ connection: redisOptionsFromUrl(REDIS_URL, { maxRetriesPerRequest: 3 }), prefix });
  await queues.add("parse", { messageKey: "board-test@example" });
  app = fastify();
  app.get("/", async () => "report");
  await mountQueueDashboard(app, {
    queues,
    guard: async (req, reply) => {
      if (req.headers.cookie !== "session=ok") await reply.code(401).send("login required");
    },
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  for (const n of ["parse", "scan", "assemble", "ack"] as const) await queues?.queue(n).obliterate({ force: true }).catch(() => undefined);
  await queues?.close();
});

describe("queue dashboard", () => {
  it("refuses a visitor without a session, page and API alike, and leaves other routes alone", async () => {
    expect((await app.inject({ url: "/admin/queues" })).statusCode).toBe(401);
    expect((await app.inject({ url: "/admin/queues/api/queues" })).statusCode).toBe(401);
    expect((await app.inject({ url: "/" })).statusCode).toBe(200);
  });

  it("shows every queue of the job catalog and its jobs to a logged-in user", async () => {
    const page = await app.inject({ url: "/admin/queues", headers: { cookie: "session=ok" } });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/html/);
    const api = await app.inject({ url: "/admin/queues/api/queues?activeQueue=parse&status=waiting&page=1", headers: { cookie: "session=ok" } });
    expect(api.statusCode).toBe(200);
    const body = api.json<{ queues: Array<{ name: string; counts: Record<string, number> }> }>();
    expect(body.queues.map((q) => q.name).sort()).toEqual(["ack", "assemble", "parse", "scan"]);
    expect(body.queues.find((q) => q.name === "parse")?.counts.waiting).toBe(1);
  });
});
