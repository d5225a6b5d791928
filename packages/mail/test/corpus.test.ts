import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { parseMessage } from "../src/index.js";
import { describeShared, sharedPath } from "../../../test/support/shared.js";
import { corpusMessages } from "./shared.js";

describeShared("parseMessage over the corpus", ["corpus"], () => {
  const messages = corpusMessages(sharedPath("corpus"));

  it("has the corpus to check against", () => {
    expect(messages.length).toBeGreaterThan(40);
  });

  it.each(messages.map((m) => [`${m.id} (${m.file.split("/").slice(-2, -1)[0]})`, m] as const))(
    "%s: kind, Message-ID and the form and scan names",
    async (_label, m) => {
      const parsed = await parseMessage(readFileSync(m.file));
      expect(parsed.kind).toBe(m.expected.kind);
      expect(parsed.messageId).toBe(m.expected.messageId);
      const found = new Set(parsed.attachments.filter((a) => a.role !== "other").map((a) => a.name));
      const expected = new Set(m.expected.submissions.flatMap((s) => [...(s.word ? [s.word] : []), ...s.scan]));
      expect([...found].sort()).toEqual([...expected].sort());
      // A receipt is only ever due for a message nobody's machine sent.
      if (m.expected.ack) expect(parsed.autoReply).toBe(false);
      expect(parsed.flags).toEqual([]);
    },
  );

  it("gives the same key to the copies of one email in both mailboxes", async () => {
    const byId = new Map<string, Set<string>>();
    for (const m of messages) {
      const p = await parseMessage(readFileSync(m.file));
      expect(p.messageKey).toMatch(/^[A-Za-z0-9._@+=-]+$/);
      byId.set(m.id, (byId.get(m.id) ?? new Set()).add(p.messageKey));
    }
    for (const keys of byId.values()) expect(keys.size).toBe(1);
  });
});
