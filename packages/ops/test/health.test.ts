import { describe, expect, it } from "vitest";
import { mailboxProblem, smtpProblem } from "../src/health/health-files.js";

const at = (msAgo: number, now: number) => new Date(now - msAgo).toISOString();

describe("health judgments", () => {
  const now = Date.parse("2026-01-10T08:00:00Z");
  const interval = 60_000;

  it("fails a mailbox not checked for 3 poll intervals, with the watcher's reason", () => {
    expect(mailboxProblem({ mailbox: "m", lastPollAt: at(170_000, now), lastFailureAt: null, failure: null }, interval, now)).toBeNull();
    const stale = mailboxProblem(
      { mailbox: "m", lastPollAt: at(190_000, now), lastFailureAt: at(5_000, now), failure: { kind: "network", message: "connect ECONNREFUSED", since: at(190_000, now), attempts: 3 } },
      interval,
      now,
    );
    expect(stale).toMatch(/not checked for 190s.*ECONNREFUSED/);
    expect(mailboxProblem(null, interval, now)).toMatch(/never checked/);
    // A watcher just started is given its 3 intervals.
    expect(mailboxProblem(null, interval, now, now - 10_000)).toBeNull();
  });

  it("fails SMTP while the last attempt failed and none succeeded since", () => {
    expect(smtpProblem({ lastSuccessAt: null, lastFailureAt: null, lastError: null })).toBeNull();
    expect(smtpProblem({ lastSuccessAt: at(10_000, now), lastFailureAt: at(20_000, now), lastError: "x" })).toBeNull();
    expect(smtpProblem({ lastSuccessAt: at(20_000, now), lastFailureAt: at(10_000, now), lastError: "ECONNREFUSED" })).toMatch(/cannot be sent.*ECONNREFUSED/);
  });
});
