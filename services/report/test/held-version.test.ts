// A version held for review, in a real Chromium against the real server: a
// second sender sends the same project; the pipeline's own version linking
// holds it. The reviewer reads why (message-level reasons in the call's
// Chinese, in the list and on the page), accepts it — it replaces the
// earlier version in the list and the exports, the journal says who, when
// and why, the applicant gets one corrected receipt through the real ack
// queue and mail servers — then changes their mind and rejects it. Attachment
// flags are worded by their reason (a .docx named .doc is not "refused").
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { ImapFlow } from "imapflow";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { simpleParser } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAckHandler, createMailer, type Mailer } from "@intake/ack";
import { Archive } from "@intake/archive";
import { createQueues, redisOptionsFromUrl, type Queues } from "@intake/jobs";
import { Accounts, ArchiveAccountStore, Journal } from "@intake/review";
import { loadCall, type MessageResult } from "@intake/schema";
import { linkVersions } from "../../../packages/pipeline/src/steps/link-versions.js";
import { createMailUser, IMAP_HOST, IMAP_PORT, removeMailUser, uniqueName } from "../../../test/support/dovecot.js";
import { SMTP_HOST, SMTP_PORT, smtpReady } from "../../../test/support/smtp.js";
import { archiveWithHead } from "../src/archive-head.js";
import { buildReportServer } from "../src/server.js";
import { launchChromium, listenOnLoopback } from "./browser.js";
import { callPath, sampleArchive } from "./sample-archive.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const call = loadCall(callPath);
const prefix = `test-held-${randomBytes(4).toString("hex")}`;
const mailPassword = randomBytes(8).toString("hex");
const PW = "张三的密码-correct horse";
const PROJECT = "中国—中亚传统医药领域科技人员交流项目";
const shots = process.env.REPORT_SCREENSHOTS ?? join(process.env.TEST_STATE_DIR ?? "/tmp/exchange-intake-test", "report-screenshots");

let root: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let queues: Queues;
let redis: Redis;
let worker: Worker;
let mailer: Mailer;
let applicant: string;

/** A copy of a sample email sent again by another sender a day later, as the archive holds it. */
function secondSender(root: string, from: MessageResult, key: string, address: string): MessageResult {
  const src = join(root, "messages", from.messageKey);
  const dir = join(root, "messages", key);
  mkdirSync(dir, { recursive: true });
  cpSync(join(src, "attachments"), join(dir, "attachments"), { recursive: true });
  const raw = readFileSync(join(src, "message.eml"), "latin1");
  const end = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, end).replace(/^From:.*(?:\r?\n[ \t].*)*/m, `From: <${address}>`).replace(/^Message-ID:.*$/im, `Message-ID: <${key}@other.example.net>`);
  writeFileSync(join(dir, "message.eml"), Buffer.from(head + raw.slice(end), "latin1"));
  const at = new Date(Date.parse(from.receivedAt!) + 86_400_000).toISOString();
  return {
    ...structuredClone(from),
    messageKey: key,
    messageId: `<${key}@other.example.net>`,
    from: address,
    receivedAt: at,
    attachments: from.attachments?.map((a) => ({ ...a, stored: a.stored?.replace(`messages/${from.messageKey}/`, `messages/${key}/`) })),
  };
}

beforeAll(async () => {
  if (!(await smtpReady())) throw new Error(`Postfix is not answering on ${SMTP_HOST}:${SMTP_PORT}: run scripts/services/up.sh`);
  applicant = `${uniqueName("held")}@applicant.example.org`;
  await createMailUser(applicant, mailPassword);
  const made = await sampleArchive({
    ids: ["msg-022", "msg-004", "msg-012"],
    patch: (rec) => {
      // The receiving server found msg-004's From domain failing DMARC: the record says so, as assemble writes it.
      if (rec.messageKey === "msg-004") {
        const reason = { code: "sender-unverified" as const, detail: "收件服务器验证发件域名未通过（dmarc=fail），发件人地址可能被冒用；回执未引用邮件内容" };
        rec.senderAuth = { verdict: "fail", detail: "dmarc=fail" };
        rec.review = { needed: true, reasons: [reason] };
        rec.submissions[0]!.review = { needed: true, reasons: [reason] };
      }
      // A .docx sent under a .doc name: read by its content, a note for reviewers only.
      if (rec.messageKey === "msg-012") {
        const s = rec.submissions[0]!;
        s.flags = [...s.flags, "suspicious-attachment"];
        s.flagDetails = [...(s.flagDetails ?? []), { code: "suspicious-attachment", reason: "renamed", file: "申报书.doc", detail: call.ack.reasons.renamed }];
      }
    },
  });
  root = made.root;
  // The project again, from the applicant's own mailbox this time; versions linked by the pipeline's own code.
  const archive = new Archive({ root });
  const first = made.records.find((r) => r.messageKey === "msg-022")!;
  const second = secondSender(root, first, "msg-022-b", applicant);
  for (const r of [first, second]) {
    for (const c of await linkVersions(r, archive)) await archive.putRecord(c.messageKey, c);
    await archive.putRecord(r.messageKey, r);
  }

  await new Accounts(new ArchiveAccountStore(root)).add({ name: "zhangsan", role: "reviewer", password: PW, displayName: "张三" });
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queues = createQueues({ connection: redisOptionsFromUrl(REDIS_URL, { maxRetriesPerRequest: null }), prefix });
  mailer = createMailer({ mode: "smtp", smtp: { host: SMTP_HOST, port: SMTP_PORT, timeoutMs: 5000 }, from: "guoyunlong@cast.org.cn" });
  const handle = createAckHandler({ store: new Archive({ root }), mailer, call, redis, redisPrefix: `${prefix}:ack:`, journal: new Journal({ root }) });
  worker = new Worker("ack", (job) => handle(job.data, { job }), { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix });
  await worker.waitUntilReady();
  app = await buildReportServer({ archive: archiveWithHead(new Archive({ root }), root), archiveRoot: root, call, accounts: new ArchiveAccountStore(root), queues, refreshMs: 0 });
  base = await listenOnLoopback(app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await worker?.close();
  if (queues) {
    for (const name of ["parse", "scan", "assemble", "ack"] as const) await queues.queue(name).obliterate({ force: true }).catch(() => undefined);
    await queues.close();
  }
  mailer?.close();
  if (redis) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  }
  if (applicant) await removeMailUser(applicant).catch(() => undefined);
  if (root) rmSync(root, { recursive: true, force: true });
});

async function inbox(): Promise<string[]> {
  const client = new ImapFlow({ host: IMAP_HOST, port: IMAP_PORT, secure: false, auth: { user: applicant, pass: mailPassword }, logger: false });
  try {
    await client.connect();
    const lock = await client.getMailboxLock("INBOX");
    try {
      const out: string[] = [];
      for await (const m of client.fetch("1:*", { source: true })) out.push((await simpleParser(m.source!)).text ?? "");
      return out;
    } finally {
      lock.release();
    }
  } catch {
    return [];
  } finally {
    await client.logout().catch(() => undefined);
  }
}

async function waitFor<T>(f: () => Promise<T>, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
}

const rowOf = (page: Page, from: string) => page.locator("table.sub-list tbody tr", { hasText: PROJECT }).filter({ has: page.locator(`a[href="${from}"]`) });

describe("a version from another sender", () => {
  it("is shown with why it waits, accepted by a reviewer into the project's line and the exports, then rejected", async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.fill("#name", "zhangsan");
    await page.fill("#password", PW);
    await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);

    // The list says why each waits, in the call's words: the held version, the forged From.
    await page.goto(`${base}/?state=all`);
    const list = (await page.locator("table.sub-list").textContent())!;
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "held-list.png"), fullPage: false });
    expect(list).toContain(call.report!.reviewNames["other-sender-version"]!);
    expect(list).toContain(call.report!.reviewNames["sender-unverified"]!);
    // A .docx named .doc is named for what it is, not as refused.
    expect(list).toContain("扩展名与实际格式不符");
    expect(list).not.toContain("安全原因");
    const rows = page.locator("table.sub-list tbody tr", { hasText: PROJECT });
    expect(await rows.count()).toBe(2);
    const hrefs = await rows.locator("td.project a").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    // Both versions stand apart: neither is marked as replaced.
    await expect(rows.filter({ hasText: "已有更新版本" }).count()).resolves.toBe(0);
    const heldHref = (await rows.filter({ hasText: "待确认是否替代" }).locator("td.project a").getAttribute("href"))!;
    const ownHref = hrefs.find((h) => h !== heldHref)!;

    // The forged From's page lists its message-level reason with what the server said.
    await page.goto(`${base}/?state=all&q=${encodeURIComponent("中国地理学会")}`);
    await page.click("table.sub-list td.project a");
    await expect(page.locator("ul.review-reasons").textContent()).resolves.toContain("dmarc=fail");

    await page.goto(`${base}${heldHref}`);
    const reasons = (await page.locator("ul.review-reasons").textContent())!;
    expect(reasons).toContain(call.report!.reviewNames["other-sender-version"]!);
    expect(reasons).toContain(applicant);
    const box = page.locator("#version");
    await expect(box.textContent()).resolves.toContain("待确认是否替代当前版本");
    expect(await box.locator(`a[href="${ownHref}"]`).count()).toBe(1);
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, "held-version.png"), fullPage: false });

    // Accept: it replaces the earlier version.
    await page.check("#version input[value=accepted]");
    await page.fill("#version input[name=why]", "已电话核实，为同一单位经办人");
    await Promise.all([page.waitForURL(/#version$/), page.click("#version button[type=submit]")]);
    await expect(box.textContent()).resolves.toMatch(/张三于.*确认替代此前版本/);
    await expect(page.locator("ul.review-reasons").count()).resolves.toBe(0);
    await expect(page.locator("section.review").textContent()).resolves.toContain("确认其他发件人的版本替代此前版本");
    await page.goto(`${base}/?state=all&q=${encodeURIComponent(PROJECT)}`);
    await expect(rowOf(page, ownHref).textContent()).resolves.toContain("已有更新版本");
    await expect(rowOf(page, heldHref).textContent()).resolves.toContain("第2版");

    // The journal says who, when and why.
    const entry = (await new Journal({ root }).forMessage("msg-022-b")).at(-1)!;
    expect(entry).toMatchObject({ by: "zhangsan", target: { kind: "version" }, after: { decision: "accepted" }, why: "已电话核实，为同一单位经办人" });

    // The exports carry it.
    const [xlsxDl] = await Promise.all([page.waitForEvent("download"), page.click("text=下载Excel")]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await xlsxDl.path());
    const ws = wb.getWorksheet("全部申报")!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const cells = [2, 3].map((n) => ws.getRow(n)).map((r) => ({ version: String(r.getCell(headers.indexOf("版本") + 1).value), fixes: String(r.getCell(headers.indexOf("审核更正") + 1).value ?? "") }));
    const accepted = cells.find((c) => c.version.includes("确认替代此前版本"))!;
    expect(accepted.version).toContain("第2版（共2版）");
    expect(accepted.fixes).toContain("张三");
    expect(cells.find((c) => c !== accepted)!.version).toContain("已有更新版本");
    const [csvDl] = await Promise.all([page.waitForEvent("download"), page.click("text=下载CSV")]);
    expect(readFileSync(await csvDl.path(), "utf8")).toContain("张三于");

    // The applicant was told staff would decide: one corrected receipt says what they decided.
    await page.goto(`${base}${heldHref}`);
    const send = page.locator("form.send-receipt button");
    expect(await send.count()).toBe(1);
    await Promise.all([page.waitForURL(/#receipt$/), send.click()]);
    const got = await waitFor(inbox, (m) => m.length > 0);
    expect(got).toHaveLength(1);
    expect(got[0]).toContain(call.ack.versionAccepted);
    expect(got[0]).not.toContain(call.ack.heldVersion);

    // Rejected after all: the earlier version is current again, and a new corrected receipt is due.
    await page.goto(`${base}${heldHref}`);
    await page.check("#version input[value=rejected]");
    await page.fill("#version input[name=why]", "经核实并非该单位人员");
    await Promise.all([page.waitForURL(/#version$/), page.click("#version button[type=submit]")]);
    await expect(box.textContent()).resolves.toContain("确认不替代当前版本");
    expect(await page.locator("form.send-receipt button").count()).toBe(1);
    await page.goto(`${base}/?state=all&q=${encodeURIComponent(PROJECT)}`);
    await expect(page.locator("table.sub-list").textContent()).resolves.not.toContain("已有更新版本");
    // On a phone the version box fits the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}${heldHref}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.locator("#version").screenshot({ path: join(shots, "held-version-phone.png") });
    await context.close();
  });
});
