// The settings are logged whole when the daemon starts; no password may reach the log, in a URL either.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadSettings } from "@intake/schema";
import { createLogger } from "../src/logger.js";

function capture(): { logger: ReturnType<typeof createLogger>; lines: () => string } {
  let out = "";
  const destination = new Writable({
    write(chunk, _enc, cb) {
      out += String(chunk);
      cb();
    },
  });
  return { logger: createLogger({ destination }), lines: () => out };
}

describe("the logger", () => {
  it("censors URL passwords wherever they stand: settings, any field, the message, an error", () => {
    const { logger, lines } = capture();
    const settings = loadSettings({ files: ["config/default.yaml"], cwd: new URL("../../..", import.meta.url).pathname, env: { INTAKE_REDIS_URL: "redis://:r3dis-pw@10.0.0.5:6379/2", INTAKE_MAILBOX_GUOYUNLONG_PASSWORD: "imap-pw", INTAKE_MAILBOX_QIJIARU_PASSWORD: "imap-pw2" } });
    logger.info({ settings }, "settings loaded");
    logger.child({ component: "queues" }).warn({ target: "rediss://user:child-pw@cache.example:6380" }, "cannot reach redis://:msg-pw@10.0.0.5");
    logger.error({ err: new Error("connect rediss://u:err-pw@h failed") }, "failed");
    const out = lines();
    for (const secret of ["r3dis-pw", "imap-pw", "child-pw", "msg-pw", "err-pw"]) expect(out).not.toContain(secret);
    expect(out).toContain("redis://:[redacted]@10.0.0.5:6379/2");
    // Ordinary addresses are not URLs with passwords.
    logger.info({ from: "apply@unit.example.org", link: "mailto:a@b.example" }, "mail from apply@unit.example.org");
    expect(lines()).toContain('"from":"apply@unit.example.org"');
    expect(lines()).toContain("mailto:a@b.example");
  });
});
