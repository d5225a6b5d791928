// The web view re-reads the archive every few seconds. On an archive of
// thousands of messages it opens only the records written since the last
// read, and still sees every change: a new record, a record rewritten, one
// that went bad, a message removed.
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Archive } from "@intake/archive";
import { loadReport, type KnownRecord } from "@intake/report";
import { sampleArchive } from "./sample-archive.js";

describe("reloading the report", () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  it("reads again only what was written, and misses no change", async () => {
    const { root, records } = await sampleArchive({ ids: ["msg-016", "msg-004", "msg-012"] });
    roots.push(root);
    const archive = new Archive({ root });
    const known = new Map<string, KnownRecord>();
    const first = await loadReport(archive, { known });
    expect(first.records.map((r) => r.messageKey).sort()).toEqual(records.map((r) => r.messageKey).sort());
    expect(known.size).toBe(3);

    const again = await loadReport(archive, { known });
    expect(again.version).toBe(first.version);
    // Not read again: the very objects of the first load.
    for (const r of again.records) expect(first.records).toContain(r);

    const changed = structuredClone(records.find((r) => r.messageKey === "msg-004")!);
    changed.submissions[0]!.fields["cover.projectName"] = "改过的项目名称";
    await archive.putRecord("msg-004", changed);
    writeFileSync(join(root, "messages/msg-012/record.json"), "{ not json");
    const third = await loadReport(archive, { known });
    expect(third.version).not.toBe(first.version);
    expect(third.records.find((r) => r.messageKey === "msg-004")!.submissions[0]!.fields["cover.projectName"]).toBe("改过的项目名称");
    expect(third.records.find((r) => r.messageKey === "msg-016")).toBe(first.records.find((r) => r.messageKey === "msg-016"));
    expect(third.problems).toEqual([expect.objectContaining({ messageKey: "msg-012", reason: "unreadable" })]);

    rmSync(join(root, "messages/msg-016"), { recursive: true });
    const fourth = await loadReport(archive, { known });
    expect(fourth.records.map((r) => r.messageKey)).toEqual(["msg-004"]);
    expect([...known.keys()].sort()).toEqual(["msg-004", "msg-012"]);
  });
});
