// Login throttling behind the TLS proxy: the server believes the proxy's
// X-Forwarded-For (and only the proxy's), counts per account and per client,
// and never keeps the right password out of a browser that logged in before.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Archive } from "@intake/archive";
import { Accounts, ArchiveAccountStore } from "@intake/review";
import { loadCall } from "@intake/schema";
import { buildReportServer } from "../src/server.js";
import { callPath } from "./sample-archive.js";

const root = mkdtempSync(join(tmpdir(), "report-proxy-"));
const PW = "right password 123";
let app: FastifyInstance;

beforeAll(async () => {
  const accounts = new ArchiveAccountStore(root);
  await new Accounts(accounts).add({ name: "zhangsan", role: "reviewer", password: PW });
  app = await buildReportServer({ archive: new Archive({ root }), archiveRoot: root, call: loadCall(callPath), accounts, trustProxy: ["127.0.0.1"], throttle: { accountFailures: 5, clientFailures: 20 } });
});
afterAll(async () => {
  await app?.close();
  rmSync(root, { recursive: true, force: true });
});

const login = (password: string, forwardedFor: string, cookie?: string) =>
  app.inject({ method: "POST", url: "/login", remoteAddress: "127.0.0.1", headers: { "x-forwarded-for": forwardedFor, ...(cookie ? { cookie } : {}) }, payload: { name: "zhangsan", password } });

describe("login behind the proxy", () => {
  it("locks an account against new browsers after guesses from many addresses, yet lets its reviewer's browser in", async () => {
    const first = await login(PW, "198.51.100.7");
    expect(first.statusCode).toBe(303);
    const device = first.cookies.find((c) => c.name === "intake_report_device")!;
    expect(device.httpOnly).toBe(true);
    for (let i = 0; i < 5; i++) expect((await login("guess", `203.0.113.${i + 1}`)).statusCode).toBe(401);
    const locked = await login(PW, "192.0.2.50");
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain("尝试次数过多");
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    const mine = await login(PW, "198.51.100.7", `intake_report_device=${device.value}`);
    expect(mine.statusCode).toBe(303);
  });

});
