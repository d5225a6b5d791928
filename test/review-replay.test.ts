// Reviewers' corrections survive `intake replay`: the pipeline rewrites the
// record from the archive, the journal stays as it was, and every view still
// joins the two. Accounts are made with `intake users`, as an operator does.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createPipelineRunner, createScanProcesses } from "@intake/pipeline";
import { createLogger } from "@intake/logger";
import { afterAll, describe, expect, it } from "vitest";
import { Archive } from "@intake/archive";
import { Accounts, ArchiveAccountStore, Journal, JOURNAL_PATH } from "@intake/review";
import { loadReport, renderCsv, reportColumns, reportLabels, reportView } from "@intake/report";
import { loadCall } from "@intake/schema";
import { replayMessages } from "../packages/ops/src/replay-runner.js";

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, "..");
const root = mkdtempSync(join(tmpdir(), "review-replay-"));
const call = loadCall(join(repoRoot, "config/calls/2026.yaml"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("corrections and replay", () => {
  it("keeps the journal through a replay, and the view still shows the correction", async () => {
    const archive = new Archive({ root });
    await archive.init();
    const raw = readFileSync(join(repoRoot, "samples/mailboxes/guoyunlong/msg-022.eml"));
    await archive.putRaw("msg-022", raw, { mailbox: "guoyunlong", seenAt: "2026-01-12T01:00:00.000Z" });
    const logger = createLogger({ level: "silent", name: "test" });
    const runner = createPipelineRunner({ archive, call, logger, scans: () => createScanProcesses({ archiveRoot: root, logger }) });
    await replayMessages({ archive, runner, keys: ["msg-022"], acks: "none" });
    const before = await archive.readRecord("msg-022");
    expect(before?.submissions[0]?.flags).toContain("missing-scan");
    const journal = new Journal({ root });
    await journal.append({ by: "zhangsan", byName: "张三", messageKey: "msg-022", submission: 0, target: { kind: "field", key: "unit.postalCode" }, before: before!.submissions[0]!.fields["unit.postalCode"], after: "830000", why: "据扫描件" });
    const journalText = readFileSync(join(root, JOURNAL_PATH), "utf8");

    await replayMessages({ archive, runner, keys: ["msg-022"], acks: "none" });
    await runner.close();
    expect(readFileSync(join(root, JOURNAL_PATH), "utf8")).toBe(journalText);
    const after = await archive.readRecord("msg-022");
    expect(after?.submissions[0]?.fields["unit.postalCode"]).toBe(before!.submissions[0]!.fields["unit.postalCode"]);
    const view = reportView(await loadReport(archive), call, await new Journal({ root }).byMessageKey());
    expect(view.rows[0]!.fields["unit.postalCode"]).toBe("830000");
    expect(view.rows[0]!.reviewed.corrections[0]).toMatchObject({ by: "zhangsan", why: "据扫描件" });
  });

  it("keeps a reviewer's acceptance of another sender's version through a replay, in the view and the CSV", async () => {
    const archive = new Archive({ root });
    const raw = readFileSync(join(repoRoot, "samples/mailboxes/guoyunlong/msg-022.eml"), "latin1");
    const end = raw.search(/\r?\n\r?\n/);
    // The same project a day later from another mailbox: the pipeline holds it.
    const other = raw.slice(0, end).replace(/^From:.*(?:\r?\n[ \t].*)*/m, "From: <clerk@other.example.net>").replace(/^Message-ID:.*$/im, "Message-ID: <again@other.example.net>").replace(/^Date:.*$/im, "Date: Tue, 13 Jan 2026 10:00:00 +0800");
    await archive.putRaw("msg-022-b", Buffer.from(other + raw.slice(end), "latin1"), { mailbox: "guoyunlong", seenAt: "2026-01-13T02:00:00.000Z" });
    const logger = createLogger({ level: "silent", name: "test" });
    const runner = createPipelineRunner({ archive, call, logger, scans: () => createScanProcesses({ archiveRoot: root, logger }) });
    await replayMessages({ archive, runner, keys: ["msg-022-b"], acks: "none" });
    const held = (await archive.readRecord("msg-022-b"))!.submissions[0]!;
    expect(held.review?.reasons.map((r) => r.code)).toContain("other-sender-version");
    expect(held.heldVersion?.of).toBe((await archive.readRecord("msg-022"))!.submissions[0]!.projectKey);
    const journal = new Journal({ root });
    await journal.append({ by: "lisi", byName: "李四", messageKey: "msg-022-b", submission: 0, target: { kind: "version" }, before: null, after: { decision: "accepted" }, why: "同一单位的新经办人" });

    await replayMessages({ archive, runner, keys: ["msg-022", "msg-022-b"], acks: "none" });
    await runner.close();
    expect((await archive.readRecord("msg-022-b"))!.submissions[0]!.heldVersion).toEqual({ of: held.heldVersion!.of });
    const view = reportView(await loadReport(archive), call, await new Journal({ root }).byMessageKey());
    const [first, second] = ["msg-022", "msg-022-b"].map((k) => view.rows.find((r) => r.messageKey === k)!);
    expect(second).toMatchObject({ latest: true, version: 2 });
    expect(first).toMatchObject({ latest: false, version: 1 });
    expect(second!.review.reasons.map((r) => r.code)).not.toContain("other-sender-version");
    const csv = renderCsv(view.rows, reportColumns(reportLabels(call))).toString("utf8");
    expect(csv).toContain("李四于");
    expect(csv).toContain("其他发件人的版本：确认替代此前版本");
  }, 300_000);

  it("makes accounts from the command line, the password from standard input", async () => {
    const cli = join(repoRoot, "services/intake/src/cli.ts");
    const tsx = join(repoRoot, "node_modules/.bin/tsx");
    const add = run(tsx, [cli, "users", "add", "wangwu", "--role", "reviewer", "--name", "王五", "--archive", root, "--password-stdin"], { cwd: repoRoot, timeout: 60_000 });
    add.child.stdin!.end("王五的密码-long enough\n");
    expect((await add).stdout).toContain("added wangwu (reviewer)");
    const accounts = new Accounts(new ArchiveAccountStore(root));
    expect((await accounts.authenticate("wangwu", "王五的密码-long enough"))?.displayName).toBe("王五");
    await run(tsx, [cli, "users", "disable", "wangwu", "--archive", root], { cwd: repoRoot, timeout: 60_000 });
    expect(await accounts.authenticate("wangwu", "王五的密码-long enough")).toBeNull();
    const bad = await run(tsx, [cli, "users", "add", "wangwu", "--role", "boss", "--archive", root], { cwd: repoRoot, timeout: 60_000 }).catch((e: { code: number }) => e);
    expect((bad as { code: number }).code).toBe(2);
  });
});
