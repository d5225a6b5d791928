// The message key the watcher files each email under (and the job ids derive from).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { contentDigest, messageKeyOf, rawMessageId } from "../src/message-key.js";
import { samplesDir } from "../../../test/support/samples.js";


describe("messageKeyOf", () => {
  it("uses the Message-ID, folded or not, without the brackets", () => {
    expect(messageKeyOf(Buffer.from("Subject: x\r\nMessage-ID: <abc.123@example.org>\r\n\r\nbody"))).toBe("abc.123@example.org");
    expect(messageKeyOf(Buffer.from("message-id:\r\n <folded@example.org>\r\nSubject: x\r\n\r\n"))).toBe("folded@example.org");
    expect(rawMessageId(Buffer.from("Subject: x\n\nMessage-ID: <in-body@example.org>\n"))).toBeNull();
  });

  it("makes unsafe characters safe and caps long ids with a hash", () => {
    const key = messageKeyOf(Buffer.from("Message-ID: <../../etc/passwd:$x@h>\r\n\r\n"));
    expect(key).toMatch(/^[A-Za-z0-9_@+=-][A-Za-z0-9._@+=-]*$/);
    expect(key).not.toContain("/");
    const long = "a".repeat(400);
    const k1 = messageKeyOf(Buffer.from(`Message-ID: <${long}1@x>\r\n\r\n`));
    const k2 = messageKeyOf(Buffer.from(`Message-ID: <${long}2@x>\r\n\r\n`));
    expect(k1.length).toBeLessThanOrEqual(150);
    expect(k1).not.toBe(k2);
  });

  it("never folds two different Message-IDs into one key", () => {
    const a = messageKeyOf(Buffer.from("Message-ID: <CAF=victim 1@mail.example.org>\r\n\r\n"));
    const b = messageKeyOf(Buffer.from("Message-ID: <CAF=victim_1@mail.example.org>\r\n\r\n"));
    const c = messageKeyOf(Buffer.from("Message-ID: <CAF=victim/1@mail.example.org>\r\n\r\n"));
    expect(new Set([a, b, c]).size).toBe(3);
    // An id that is already safe is its own key.
    expect(b).toBe("CAF=victim_1@mail.example.org");
    expect(a).toMatch(/^CAF=victim_1@mail\.example\.org-[0-9a-f]{16}$/);
  });

  it("finds the Message-ID past a header block of 90,000 short fields", () => {
    const pad = Array.from({ length: 90_000 }, (_, i) => `X-F${i}: v`).join("\r\n");
    expect(rawMessageId(Buffer.from(`${pad}\r\nMessage-ID: <late@example.org>\r\n\r\nbody`))).toBe("late@example.org");
  });

  it("hashes what the sender wrote: delivery fields and line ends aside, any change tells emails apart", () => {
    const raw = "From: a@example.org\r\nSubject: x\r\nMessage-ID: <same@example.org>\r\n\r\nbody\r\nline\r\n";
    const delivered = `Received: from mx by mx\r\nDelivered-To: qijiaru@cast.org.cn\r\nAuthentication-Results: mx; spf=pass\r\n${raw}`;
    expect(contentDigest(Buffer.from(delivered))).toBe(contentDigest(Buffer.from(raw)));
    expect(contentDigest(Buffer.from(raw.replace(/\r\n/g, "\n")))).toBe(contentDigest(Buffer.from(raw)));
    expect(contentDigest(Buffer.from(raw.replace("body", "other body")))).not.toBe(contentDigest(Buffer.from(raw)));
    expect(contentDigest(Buffer.from(raw.replace("a@example.org", "b@example.org")))).not.toBe(contentDigest(Buffer.from(raw)));
  });

  it("falls back to a content hash without a usable Message-ID", () => {
    const raw = Buffer.from("Subject: no id\r\n\r\nbody");
    expect(messageKeyOf(raw)).toBe(`sha256-${contentDigest(raw)}`);
    expect(messageKeyOf(Buffer.concat([Buffer.from("Received: by mx\r\n"), raw]))).toBe(messageKeyOf(raw));
    expect(messageKeyOf(Buffer.from("Message-ID: <>\r\n\r\n"))).toMatch(/^sha256-/);
    expect(messageKeyOf(Buffer.from("Message-ID: <...>\r\n\r\n"))).toMatch(/^sha256-/);
  });

  it("gives the same key to copies that differ only in delivery headers", async () => {
    const dir = join(samplesDir, "mailboxes", "guoyunlong");
    const raw = await readFile(join(dir, (await readdir(dir)).filter((n) => n.endsWith(".eml")).sort()[0]!));
    const delivered = Buffer.concat([Buffer.from("Delivered-To: qijiaru@cast.org.cn\r\nReceived: from mx (mx [10.0.0.1])\r\n"), raw]);
    expect(messageKeyOf(delivered)).toBe(messageKeyOf(raw));
  });

  it("tells every sample message apart and joins the copies sent to both mailboxes", async () => {
    const keysById = new Map<string, Set<string>>();
    for (const box of await readdir(join(samplesDir, "mailboxes"))) {
      for (const f of (await readdir(join(samplesDir, "mailboxes", box))).filter((n) => n.endsWith(".eml"))) {
        const id = f.replace(/\.eml$/, "");
        const set = keysById.get(id) ?? new Set<string>();
        set.add(messageKeyOf(await readFile(join(samplesDir, "mailboxes", box, f))));
        keysById.set(id, set);
      }
    }
    // The same file name in both folders is the same email: one key.
    for (const keys of keysById.values()) expect(keys.size).toBe(1);
    const all = [...keysById.values()].map((s) => [...s][0]);
    expect(new Set(all).size).toBe(keysById.size);
    expect(keysById.size).toBe((await readdir(join(samplesDir, "expected"))).filter((n) => n.endsWith(".json")).length);
  });
});
