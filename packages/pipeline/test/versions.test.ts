// Versions of one project across emails: only the current version's sender
// can replace it; anyone else's newer version waits for a reviewer.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptyFields, type MessageResult } from "@intake/schema";
import { Archive } from "@intake/archive";
import { linkVersions, projectKeyOf } from "../src/steps/link-versions.js";

let root: string;
let archive: Archive;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "versions-test-"));
  archive = new Archive({ root });
  await archive.init();
});
afterEach(() => rm(root, { recursive: true, force: true }));

const fields = { ...emptyFields(), "cover.applicantUnit": "中国测试学会", "cover.projectName": "中欧青年科学家对话" };
const identity = projectKeyOf(fields)!;

function version(key: string, from: string, day: number, failed = false, followUpOf?: string): MessageResult {
  return {
    ...(followUpOf ? { followUpOf } : {}),
    messageId: `<${key}>`,
    messageKey: key,
    kind: "submission",
    ack: true,
    from,
    ...(failed ? { senderAuth: { verdict: "fail" as const } } : {}),
    receivedAt: `2026-01-${String(day).padStart(2, "0")}T02:00:00.000Z`,
    submissions: [{ projectKey: identity, word: "申报书.docx", scan: [], fields, signoff: { signature: null, seal: null }, flags: [], flagDetails: [] }],
  };
}

/** Runs linkVersions the way assemble does: the message's record and every changed one saved. */
async function link(r: MessageResult): Promise<MessageResult> {
  for (const c of await linkVersions(r, archive)) await archive.putRecord(c.messageKey, c);
  await archive.putRecord(r.messageKey, r);
  return r;
}
const standing = async (key: string) => {
  const s = (await archive.readRecord(key))!.submissions[0]!;
  return { current: s.projectKey === identity, resubmission: s.flags.includes("resubmission"), held: !!s.review?.reasons.some((x) => x.code === "other-sender-version") };
};
const followUp = async (key: string) => {
  const s = (await archive.readRecord(key))!.submissions[0]!;
  return { current: s.projectKey === identity, heldOf: s.heldVersion?.of ?? null, codes: (s.review?.reasons ?? []).map((r) => r.code) };
};

describe("project versions", () => {
  it("a newer version from an unrelated sender does not take over; the owner's next one does", async () => {
    await link(version("v1", "Owner@Unit.example.org", 5));
    await link(version("v2", "attacker@evil.example", 6));
    expect(await standing("v1")).toEqual({ current: true, resubmission: false, held: false });
    expect(await standing("v2")).toEqual({ current: false, resubmission: true, held: true });
    const held = (await archive.readRecord("v2"))!.submissions[0]!;
    expect(held.review?.needed).toBe(true);
    expect(held.flagDetails?.find((f) => f.code === "resubmission")?.detail).toContain("owner@unit.example.org");

    // The owner, writing with a +tag this time, replaces their own version.
    await link(version("v3", "owner+2026@unit.example.org", 7));
    expect(await standing("v3")).toEqual({ current: true, resubmission: true, held: false });
    expect(await standing("v2")).toEqual({ current: false, resubmission: true, held: true });
  });

  it("works the standings out again when an earlier version is processed late", async () => {
    await link(version("late-b", "attacker@evil.example", 6));
    expect(await standing("late-b")).toEqual({ current: true, resubmission: false, held: false });
    await link(version("late-a", "owner@unit.example.org", 5));
    expect(await standing("late-a")).toEqual({ current: true, resubmission: false, held: false });
    expect(await standing("late-b")).toEqual({ current: false, resubmission: true, held: true });
    // Processing it again changes nothing.
    expect(await linkVersions((await archive.readRecord("late-b"))!, archive)).toEqual([]);
  });

  it("the owner's address on a From the server found forged is held too", async () => {
    await link(version("f1", "owner@unit.example.org", 5));
    await link(version("f2", "owner@unit.example.org", 6, true));
    expect(await standing("f2")).toEqual({ current: false, resubmission: true, held: true });
  });

  it("a follow-up from another sender than the email it completes is held, in whatever order they come", async () => {
    await link(version("form", "owner@unit.example.org", 5));
    await link(version("scan", "stranger@other.example.net", 6, false, "<form>"));
    expect(await followUp("form")).toEqual({ current: true, heldOf: null, codes: [] });
    expect(await followUp("scan")).toEqual({ current: false, heldOf: identity, codes: ["other-sender-follow-up"] });
    const held = (await archive.readRecord("scan"))!.submissions[0]!;
    expect(held.review?.reasons[0]?.detail).toContain("owner@unit.example.org");
    expect(held.flagDetails?.find((f) => f.code === "resubmission")?.detail).toContain("并入");
    // A version the owner sends next still replaces theirs: the held follow-up never became current.
    await link(version("form2", "owner@unit.example.org", 7));
    expect(await followUp("form2")).toEqual({ current: true, heldOf: null, codes: [] });

    // Replayed the other way round, the follow-up first: the same standings.
    await rm(join(root, "index"), { recursive: true, force: true });
    for (const k of ["scan", "form2", "form"]) await link((await archive.readRecord(k))!);
    expect(await followUp("scan")).toEqual({ current: false, heldOf: identity, codes: ["other-sender-follow-up"] });
    expect(await followUp("form")).toEqual({ current: true, heldOf: null, codes: [] });
  });

  it("a follow-up from the same sender completes the email and takes over; a forged one is held", async () => {
    await link(version("own-form", "owner@unit.example.org", 5));
    await link(version("own-scan", "Owner+scan@unit.example.org", 6, false, "<own-form>"));
    expect(await followUp("own-scan")).toEqual({ current: true, heldOf: null, codes: [] });
    await link(version("forged-scan", "owner@unit.example.org", 7, true, "<own-form>"));
    expect(await followUp("forged-scan")).toEqual({ current: false, heldOf: identity, codes: ["other-sender-follow-up"] });
    expect((await archive.readRecord("forged-scan"))!.submissions[0]!.review?.reasons[0]?.detail).toContain("未通过验证");
  });
});
