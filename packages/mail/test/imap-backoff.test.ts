import { describe, expect, it } from "vitest";
import { DEFAULT_IMAP_BACKOFF, reconnectDelay } from "../src/imap/backoff.js";
import { classifyImapFailure } from "../src/imap/failure.js";

describe("IMAP reconnect backoff", () => {
  const low = () => 0;
  const high = () => 0.999999;

  it("doubles from 10–20 s up to 5 minutes, with jitter", () => {
    expect(reconnectDelay(1, "transient", DEFAULT_IMAP_BACKOFF, low)).toBe(10_000);
    expect(reconnectDelay(1, "transient", DEFAULT_IMAP_BACKOFF, high)).toBe(20_000);
    expect(reconnectDelay(2, "transient", DEFAULT_IMAP_BACKOFF, low)).toBe(20_000);
    expect(reconnectDelay(20, "transient", DEFAULT_IMAP_BACKOFF, high)).toBe(300_000);
    const spread = new Set(Array.from({ length: 50 }, () => reconnectDelay(4, "transient")));
    expect(spread.size).toBeGreaterThan(10);
  });

  it("never retries faster than once a minute after repeated failures, nor after a refused login", () => {
    for (let n = 3; n < 30; n++) expect(reconnectDelay(n, "transient", DEFAULT_IMAP_BACKOFF, low)).toBeGreaterThanOrEqual(60_000);
    for (let n = 1; n < 30; n++) expect(reconnectDelay(n, "config", DEFAULT_IMAP_BACKOFF, low)).toBeGreaterThanOrEqual(60_000);
    // A 30 s outage: the lost connection is retried after 5 s, then 10–20 s later, then only after 35 s.
    expect(DEFAULT_IMAP_BACKOFF.minMs / 2 + reconnectDelay(1, "transient", DEFAULT_IMAP_BACKOFF, high) + reconnectDelay(2, "transient", DEFAULT_IMAP_BACKOFF, low)).toBeGreaterThan(30_000);
  });
});

describe("IMAP failure kinds", () => {
  it("tells a server that says 'try later' from a wrong password, by response code", () => {
    expect(classifyImapFailure({ authenticationFailed: true, serverResponseCode: "UNAVAILABLE", responseText: "Temporary authentication failure" })).toBe("unavailable");
    expect(classifyImapFailure({ authenticationFailed: true, serverResponseCode: "AUTHENTICATIONFAILED" })).toBe("auth");
    expect(classifyImapFailure({ authenticationFailed: true })).toBe("auth");
    expect(classifyImapFailure({ serverResponseCode: "NONEXISTENT" })).toBe("folder");
    expect(classifyImapFailure(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe("network");
  });
});
