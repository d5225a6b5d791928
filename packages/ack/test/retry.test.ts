import { describe, expect, it } from "vitest";
import { ackBackoff, ACK_BACKOFF_BASE_MS, ACK_BACKOFF_MAX_MS } from "../src/index.js";

describe("ackBackoff", () => {
  it("grows exponentially, stays within [half, full] of the step, and is capped", () => {
    for (let n = 1; n <= 12; n++) {
      const step = Math.min(ACK_BACKOFF_MAX_MS, ACK_BACKOFF_BASE_MS * 2 ** (n - 1));
      expect(ackBackoff(n, { random: () => 0 })).toBe(step / 2);
      expect(ackBackoff(n, { random: () => 1 })).toBe(step);
    }
    expect(ackBackoff(1000, { random: () => 1 })).toBe(ACK_BACKOFF_MAX_MS);
  });
  it("spreads retries of one outage apart", () => {
    const delays = new Set(Array.from({ length: 50 }, () => ackBackoff(4)));
    expect(delays.size).toBeGreaterThan(40);
  });
});
