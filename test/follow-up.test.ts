import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { simpleParser } from "mailparser";
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliArgs, repoRoot } from "./support/paths.js";
import { sampleEmail } from "./support/samples.js";
import { loadCall } from "@intake/schema";
import { buildRows } from "../packages/report/src/index.js";

const run = promisify(execFile);
const call = loadCall(join(repoRoot, "config/calls/2026.yaml"));

function compose(opts: ConstructorParameters<typeof MailComposer>[0]): Promise<Buffer> {
  return new Promise((resolve, reject) => new MailComposer(opts).compile().build((err, buf) => (err ? reject(err) : resolve(buf))));
}

// An applicant sends the Word form first and the signed scan later, as a
// reply: the second email completes the first, which is linked and judged
// complete; the first alone lacks its scan. A third email, a reply with a
// scan from someone else, is held for a reviewer instead of completing it.
describe("a follow-up email that completes a submission", () => {
  let dir: string;
  const records: Record<string, any> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "intake-follow-"));
    const original = await simpleParser(await sampleEmail("guoyunlong", "msg-004.eml"));
    const word = original.attachments.find((a) => /\.docx$/i.test(a.filename ?? ""))!;
    const scan = original.attachments.find((a) => /\.pdf$/i.test(a.filename ?? ""))!;
    const from = original.from!.text;
    await mkdir(join(dir, "in/guoyunlong"), { recursive: true });
    await writeFile(
      join(dir, "in/guoyunlong/first.eml"),
      await compose({
        from, to: "guoyunlong@cast.org.cn", subject: "项目申报", messageId: "<first-form@example.org>",
        date: new Date("2026-01-05T09:00:00+08:00"), text: "申报书见附件，盖章扫描件随后补发。",
        attachments: [{ filename: word.filename!, content: word.content }],
      }),
    );
    await writeFile(
      join(dir, "in/guoyunlong/second.eml"),
      await compose({
        from, to: "guoyunlong@cast.org.cn", subject: "Re: 项目申报", messageId: "<second-scan@example.org>",
        inReplyTo: "<first-form@example.org>", references: ["<first-form@example.org>"],
        date: new Date("2026-01-06T09:00:00+08:00"), text: "补发签字盖章扫描件。",
        attachments: [{ filename: scan.filename!, content: scan.content }],
      }),
    );
    await writeFile(
      join(dir, "in/guoyunlong/third.eml"),
      await compose({
        from: "stranger@other.example.net", to: "guoyunlong@cast.org.cn", subject: "Re: 项目申报", messageId: "<third-scan@other.example.net>",
        inReplyTo: "<first-form@example.org>", references: ["<first-form@example.org>"],
        date: new Date("2026-01-07T09:00:00+08:00"), text: "补发扫描件。",
        attachments: [{ filename: scan.filename!, content: scan.content }],
      }),
    );
    await run(process.execPath, [...cliArgs, "parse", join(dir, "in"), "--out", join(dir, "out"), "--archive", join(dir, "archive")], { cwd: repoRoot });
    for (const id of ["first", "second", "third"]) records[id] = JSON.parse(await readFile(join(dir, "out", `${id}.json`), "utf8"));
  }, 600_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("flags the first email's missing scan", () => {
    expect(records.first.submissions).toHaveLength(1);
    expect(records.first.submissions[0].flags).toContain("missing-scan");
  });

  it("links the second email to the first and judges the pair complete", () => {
    const r = records.second;
    expect(r.followUpOf).toBe("<first-form@example.org>");
    expect(r.submissions).toHaveLength(1);
    const s = r.submissions[0];
    expect(s.word).toMatch(/\.docx$/);
    expect(s.fields["cover.applicantUnit"]).toBe("中国地理学会");
    expect(s.flags).not.toContain("missing-word-file");
    expect(s.flags).not.toContain("missing-scan");
    expect(s.signoff).toMatchObject({ signature: true, seal: true });
  });

  it("holds a follow-up from another sender for a reviewer: linked, but it completes nothing by itself", async () => {
    const r = records.third;
    expect(r.followUpOf).toBe("<first-form@example.org>");
    const s = r.submissions[0];
    expect(s.review.reasons.map((x: { code: string }) => x.code)).toContain("other-sender-follow-up");
    expect(s.heldVersion.of).toBe(records.second.submissions[0].projectKey);
    expect(s.projectKey).not.toBe(records.second.submissions[0].projectKey);
    // The owner's own follow-up stays the current version.
    const rows = buildRows(Object.values(records));
    expect(rows.find((x) => x.messageKey === records.second.messageKey)).toMatchObject({ latest: true });
    const receipt = await simpleParser(await readFile(join(dir, "archive/outbox", "third-scan@other.example.net.update.eml")));
    expect(receipt.text).toContain(call.ack.heldFollowUp);
    expect(receipt.text).not.toContain(call.ack.flags["resubmission"]!);
  });

  it("writes one receipt for each email, the follow-ups updates", async () => {
    const outbox = (await readdir(join(dir, "archive/outbox"))).sort();
    expect(outbox).toHaveLength(3);
    expect(outbox.filter((f) => /update/.test(f))).toHaveLength(2);
  });
});
