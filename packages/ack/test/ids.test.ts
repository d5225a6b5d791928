import { describe, expect, it } from "vitest";
import { ackFailedPath, ackLogPath, ackMessageId, ackReference } from "../src/index.js";
import { call2026 } from "./support.js";

const call = call2026();

describe("receipt keys and ids", () => {
  it("keeps an archive message key literal in the sent-log path, and hashes anything unsafe", () => {
    expect(ackLogPath("000001dc8856_97bbddfa_8c993317_@aliyun.com")).toBe("acks/000001dc8856_97bbddfa_8c993317_@aliyun.com.json");
    expect(ackFailedPath("sha256-ab+c=")).toBe("acks-failed/sha256-ab+c=.json");
    for (const bad of ["../x", "a/b", "<a@b>", ".hidden", "a\u0000b", "x".repeat(400)]) {
      expect(ackLogPath(bad), bad).toMatch(/^acks\/k-[0-9a-f]{40}\.json$/);
    }
  });

  it("gives one message one reference and one Message-ID, different for another message or a resend", () => {
    expect(ackReference(call, "m1")).toBe(ackReference(call, "m1"));
    expect(ackReference(call, "m1")).toMatch(/^2026-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(ackReference(call, "m1")).not.toBe(ackReference(call, "m2"));
    expect(ackMessageId(call, "m1")).toBe(ackMessageId(call, "m1"));
    expect(ackMessageId(call, "m1")).toMatch(/^<ack\.[0-9a-f]{32}@cast\.org\.cn>$/);
    expect(ackMessageId(call, "m1", 1)).not.toBe(ackMessageId(call, "m1"));
  });
});
