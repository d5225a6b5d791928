import { describe, expect, it } from "vitest";
import { SessionStore } from "../src/sessions.js";
import { loadReportConfig } from "../src/config.js";

const who = { user: "zhangsan", displayName: "张三", role: "reviewer" as const };

describe("login pieces", () => {
  it("expires sessions and forgets destroyed ones; each has its own form token", () => {
    let now = 1_000;
    const s = new SessionStore({ ttlMs: 60_000, now: () => now });
    const t = s.create(who);
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.get(t)).toMatchObject({ user: "zhangsan", role: "reviewer" });
    expect(s.get(t)!.csrf).not.toBe(s.get(s.create(who))!.csrf);
    expect(s.valid("guess")).toBe(false);
    now += 60_001;
    expect(s.valid(t)).toBe(false);
    const u = s.create(who);
    s.destroy(u);
    expect(s.valid(u)).toBe(false);
    const v = s.create(who);
    s.destroyUser("zhangsan");
    expect(s.valid(v)).toBe(false);
  });

  it("keeps at most `max` sessions, dropping the oldest", () => {
    const s = new SessionStore({ max: 2 });
    const [a, b, c] = [s.create(who), s.create(who), s.create(who)];
    expect([s.valid(a), s.valid(b), s.valid(c)]).toEqual([false, true, true]);
  });

  it("reads its settings from the environment and names what is wrong", () => {
    expect(() => loadReportConfig({})).toThrow(/INTAKE_ARCHIVE_DIR/);
    const c = loadReportConfig({ INTAKE_ARCHIVE_DIR: "/a", INTAKE_REPORT_SECURE_COOKIE: "false", INTAKE_REPORT_PORT: "9000", INTAKE_REPORT_TRUST_PROXY: "127.0.0.1, 10.0.0.0/8" });
    expect([c.secureCookie, c.port, c.host, c.trustProxy, c.accountsDatabaseUrl]).toEqual([false, 9000, "127.0.0.1", ["127.0.0.1", "10.0.0.0/8"], null]);
    expect(() => loadReportConfig({ INTAKE_ARCHIVE_DIR: "/a", INTAKE_REPORT_SECURE_COOKIE: "yes" })).toThrow(/INTAKE_REPORT_SECURE_COOKIE/);
    expect(() => loadReportConfig({ INTAKE_ARCHIVE_DIR: "/a", INTAKE_ACCOUNTS_DATABASE_URL: "mysql://x" })).toThrow(/INTAKE_ACCOUNTS_DATABASE_URL/);
  });
});
