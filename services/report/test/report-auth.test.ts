import { describe, expect, it } from "vitest";
import { LoginThrottle } from "../src/login-throttle.js";
import { passwordMatches } from "../src/password.js";
import { SessionStore } from "../src/sessions.js";
import { loadReportConfig } from "../src/config.js";

describe("login pieces", () => {
  it("matches the password exactly, and never an empty one", () => {
    expect(passwordMatches("审阅密码", "审阅密码")).toBe(true);
    expect(passwordMatches("审阅密码 ", "审阅密码")).toBe(false);
    expect(passwordMatches("", "")).toBe(false);
  });

  it("expires sessions and forgets destroyed ones", () => {
    let now = 1_000;
    const s = new SessionStore({ ttlMs: 60_000, now: () => now });
    const t = s.create();
    expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.valid(t)).toBe(true);
    expect(s.valid("guess")).toBe(false);
    now += 60_001;
    expect(s.valid(t)).toBe(false);
    const u = s.create();
    s.destroy(u);
    expect(s.valid(u)).toBe(false);
  });

  it("keeps at most `max` sessions, dropping the oldest", () => {
    const s = new SessionStore({ max: 2 });
    const [a, b, c] = [s.create(), s.create(), s.create()];
    expect([s.valid(a), s.valid(b), s.valid(c)]).toEqual([false, true, true]);
  });

  it("refuses logins from an address after repeated failures, until the window passes", () => {
    let now = 0;
    const t = new LoginThrottle(3, 1000, () => now);
    for (let i = 0; i < 3; i++) t.fail("1.2.3.4");
    expect(t.blocked("1.2.3.4")).toBe(true);
    expect(t.blocked("5.6.7.8")).toBe(false);
    now = 1001;
    expect(t.blocked("1.2.3.4")).toBe(false);
  });

  it("reads its settings from the environment and names what is missing", () => {
    expect(() => loadReportConfig({ INTAKE_ARCHIVE_DIR: "/a" })).toThrow(/INTAKE_REPORT_PASSWORD/);
    expect(() => loadReportConfig({ INTAKE_REPORT_PASSWORD: "x" })).toThrow(/INTAKE_ARCHIVE_DIR/);
    const c = loadReportConfig({ INTAKE_ARCHIVE_DIR: "/a", INTAKE_REPORT_PASSWORD: "x", INTAKE_REPORT_SECURE_COOKIE: "false", INTAKE_REPORT_PORT: "9000" });
    expect([c.secureCookie, c.port, c.host]).toEqual([false, 9000, "127.0.0.1"]);
    expect(() => loadReportConfig({ INTAKE_ARCHIVE_DIR: "/a", INTAKE_REPORT_PASSWORD: "x", INTAKE_REPORT_SECURE_COOKIE: "yes" })).toThrow(/INTAKE_REPORT_SECURE_COOKIE/);
  });
});
