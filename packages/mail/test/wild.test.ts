import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MessageKind } from "@intake/schema";
import { parseMessage } from "../src/index.js";
import { describeShared, sharedPath } from "../../../test/support/shared.js";
import { emlFiles } from "./shared.js";

describe("the repository's real-world messages yield a result", () => {
  const files = emlFiles(path.resolve(import.meta.dirname, "../../../test/fixtures/wild-mail"));
  it("has the messages", () => expect(files.length).toBeGreaterThanOrEqual(10));
  yieldsResults(files);
});

describeShared("every messy or hostile message yields a result", ["wild-mail", "corpus-hostile"], () => {
  const files = [...emlFiles(sharedPath("wild-mail")), ...emlFiles(sharedPath("corpus-hostile"))];

  it("has the messages", () => {
    expect(files.length).toBeGreaterThan(400);
  });
  yieldsResults(files);
});

/** Each message parses to a valid, bounded result with safe stored names. */
function yieldsResults(files: string[]): void {
  it("parses all of them without throwing, each in bounded time, with safe stored names", async () => {
    const slow: string[] = [];
    for (const f of files) {
      const t0 = performance.now();
      const p = await parseMessage(readFileSync(f));
      const ms = performance.now() - t0;
      if (ms > 20_000) slow.push(`${path.basename(f)} ${Math.round(ms)} ms`);
      expect(MessageKind.options).toContain(p.kind);
      expect(p.messageKey).toMatch(/^[A-Za-z0-9._@+=-]+$/);
      expect(p.text.length).toBeLessThanOrEqual(200_000);
      for (const a of p.attachments) {
        expect(a.storedName).toMatch(/^[^/\\\u0000-\u001f]+$/);
        expect(a.size).toBe(a.content.length);
      }
      for (const v of Object.values(p.headers)) expect(v.length).toBeLessThanOrEqual(4096);
    }
    expect(slow).toEqual([]);
  });
}
