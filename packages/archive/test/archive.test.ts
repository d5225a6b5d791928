import { mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptyFields, isIntakeError, type MessageResult } from "@intake/schema";
import { messageKeyOf } from "@intake/mail";
import { Archive } from "../src/archive.js";
import { atomicWrite } from "../src/atomic-write.js";
import { readFile } from "node:fs/promises";
import { sampleMailboxes } from "../../../test/support/samples.js";

let root: string;
let archive: Archive;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "archive-test-"));
  archive = new Archive({ root });
  await archive.init();
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function sampleRaw(mailbox: string, index: number): Promise<Buffer> {
  const names = (await readdir(join(sampleMailboxes, mailbox))).filter((n) => n.endsWith(".eml")).sort();
  return readFile(join(sampleMailboxes, mailbox, names[index]!));
}

function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "resolved",
    (e) => (isIntakeError(e) ? e.code : `other: ${String(e)}`),
  );
}

describe("Archive", () => {
  it("files a different email that reuses a Message-ID apart, and the same email from both mailboxes once", async () => {
    const email = (body: string, extra = "") =>
      Buffer.from(`${extra}From: a@example.org\r\nSubject: 申报\r\nMessage-ID: <reused@example.org>\r\n\r\n${body}\r\n`);
    const first = email("the applicant's form");
    const copy = email("the applicant's form", "Received: by mx.cast.org.cn\r\nDelivered-To: qijiaru@cast.org.cn\r\n");
    const other = email("someone else's form");
    // The two copies race (two pollers); the other email comes after: whichever is first owns the plain key.
    const [a, b] = await Promise.all([
      archive.putMessage(first, { mailbox: "guoyunlong", uid: 1, uidValidity: "1", seenAt: "2026-01-01T00:00:00Z" }),
      archive.putMessage(copy, { mailbox: "qijiaru", uid: 1, uidValidity: "1", seenAt: "2026-01-01T00:00:01Z" }),
    ]);
    const c = await archive.putMessage(other, { mailbox: "guoyunlong", uid: 2, uidValidity: "1", seenAt: "2026-01-01T00:00:02Z" });
    expect(a.messageKey).toBe("reused@example.org");
    expect(b.messageKey).toBe(a.messageKey);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    expect(c).toMatchObject({ created: true, variantOf: "reused@example.org" });
    expect(c.messageKey).toMatch(/^reused@example\.org-v[0-9a-f]{16}$/);
    expect((await archive.sightings(a.messageKey)).map((s) => s.mailbox)).toEqual(["guoyunlong", "qijiaru"]);
    expect(await archive.variantOf(c.messageKey)).toBe("reused@example.org");
    expect(await archive.variantOf(a.messageKey)).toBeNull();
    // Seen again (a re-scan), each lands where it first did.
    expect(await archive.putMessage(other, { mailbox: "qijiaru", uid: 9, uidValidity: "1", seenAt: "2026-01-02T00:00:00Z" })).toEqual({ ...c, created: false });
    expect((await archive.putMessage(first, { mailbox: "guoyunlong", uid: 1, uidValidity: "1", seenAt: "2026-01-02T00:00:00Z" })).messageKey).toBe(a.messageKey);
  });

  it("stores a raw message once and each sighting once", async () => {
    const raw = await sampleRaw("guoyunlong", 0);
    const key = messageKeyOf(raw);
    const s1 = { mailbox: "guoyunlong", uid: 7, uidValidity: "11", internalDate: "2026-01-10T02:00:00.000Z", seenAt: "2026-01-10T02:00:05.000Z" };
    const s2 = { mailbox: "qijiaru", uid: 3, uidValidity: "22", seenAt: "2026-01-10T02:00:06.000Z" };
    expect(await archive.putRaw(key, raw, s1)).toEqual({ created: true });
    expect(await archive.putRaw(key, raw, s1)).toEqual({ created: false });
    expect(await archive.putRaw(key, raw, s2)).toEqual({ created: false });
    expect((await archive.readRaw(key)).equals(raw)).toBe(true);
    expect(await archive.hasRaw(key)).toBe(true);
    expect(await archive.sightings(key)).toEqual([s1, s2]);
    // No temp files left behind.
    expect((await readdir(archive.messageDir(key))).filter((n) => n.includes(".tmp"))).toEqual([]);
  });

  it("keeps the first raw copy when two writers race on one key", async () => {
    const a = await sampleRaw("guoyunlong", 1);
    const b = Buffer.concat([Buffer.from("Delivered-To: other@example.org\r\n"), a]);
    const key = messageKeyOf(a);
    const results = await Promise.all([
      archive.putRaw(key, a, { mailbox: "guoyunlong", uid: 1, uidValidity: "1", seenAt: "2026-01-01T00:00:00Z" }),
      archive.putRaw(key, b, { mailbox: "qijiaru", uid: 1, uidValidity: "1", seenAt: "2026-01-01T00:00:01Z" }),
    ]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const stored = await archive.readRaw(key);
    expect(stored.equals(a) || stored.equals(b)).toBe(true);
    expect(await archive.sightings(key)).toHaveLength(2);
  });

  it("lists messages by arrival", async () => {
    const raws = await Promise.all([0, 1, 2].map((i) => sampleRaw("qijiaru", i)));
    const dates = ["2026-01-03T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"];
    for (const [i, raw] of raws.entries()) {
      await archive.putRaw(messageKeyOf(raw), raw, { mailbox: "qijiaru", uid: i + 1, uidValidity: "5", internalDate: dates[i]!, seenAt: "2026-02-01T00:00:00Z" });
    }
    expect(await archive.listMessages()).toEqual([1, 2, 0].map((i) => messageKeyOf(raws[i]!)));
  });

  it("writes files inside the message folder only, with safe names", async () => {
    const key = "abc@example.org";
    expect(await archive.putFile(key, "attachments/申请书.docx", "x")).toBe(`messages/${key}/attachments/申请书.docx`);
    expect(await archive.putFile(key, "a\u0000b/c:d?.pdf", "x")).toBe(`messages/${key}/a_b/c_d_.pdf`);
    expect(await code(archive.putFile(key, "../../escape.txt", "x"))).toBe("ARCHIVE_PATH");
    expect(await code(archive.putFile(key, "/etc/passwd", "x"))).toBe("ARCHIVE_PATH");
    expect(await code(archive.putFile(key, "a/../../b", "x"))).toBe("ARCHIVE_PATH");
    expect(await code(archive.putFile("../evil", "a.txt", "x"))).toBe("ARCHIVE_PATH");
    expect(await code(archive.putFile(key, ".hidden", "x"))).toBe("resolved");
    expect(await archive.readFile(`messages/${key}/_hidden`)).toEqual(Buffer.from("x"));
  });

  it("refuses reads outside the root, symlinks included", async () => {
    const outside = await mkdtemp(join(tmpdir(), "outside-"));
    try {
      await writeFile(join(outside, "secret"), "s");
      await symlink(join(outside, "secret"), join(root, "link"));
      expect(await code(archive.readFile("../outside/secret"))).toBe("ARCHIVE_PATH");
      expect(await code(archive.readFile("link"))).toBe("ARCHIVE_PATH");
      expect(await code(archive.readFile("messages/none/message.eml"))).toBe("MESSAGE_NOT_FOUND");
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("keeps records, JSON indexes and checkpoints", async () => {
    const key = "rec@example.org";
    expect(await archive.readRecord(key)).toBeNull();
    const record: MessageResult = {
      messageId: "rec@example.org",
      messageKey: key,
      kind: "submission",
      ack: true,
      submissions: [{ word: null, scan: [], fields: emptyFields(), signoff: { signature: null, seal: null }, flags: ["missing-word-file"] }],
    };
    await archive.putRecord(key, record);
    expect(await archive.readRecord(key)).toEqual(record);
    expect(await code(archive.putRecord(key, { ...record, kind: "bogus" } as unknown as MessageResult))).toBe("ARCHIVE_IO");

    await archive.putJson("projects/p1.json", { versions: [key] });
    expect(await archive.readJson("projects/p1.json")).toEqual({ versions: [key] });
    expect(await archive.readJson("projects/none.json")).toBeNull();
    expect(await code(archive.putJson("../x.json", {}))).toBe("ARCHIVE_PATH");

    expect(await archive.getCheckpoint("guoyunlong")).toBeNull();
    await archive.setCheckpoint("guoyunlong", { uidValidity: "123", lastUid: 9 });
    await archive.setCheckpoint("guoyunlong", { uidValidity: "123", lastUid: 10 });
    expect(await archive.getCheckpoint("guoyunlong")).toEqual({ uidValidity: "123", lastUid: 10 });
    expect(await archive.getCheckpoint("qijiaru")).toBeNull();
  });

  it("atomicWrite replaces content whole", async () => {
    const p = join(root, "deep/dir/file.json");
    await atomicWrite(p, "one");
    await atomicWrite(p, "two");
    expect(await readFile(p, "utf8")).toBe("two");
    expect(await readdir(join(root, "deep/dir"))).toEqual(["file.json"]);
  });
});
