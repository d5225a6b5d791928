// The reviewers' workbench end to end, in a real Chromium against the real
// server: two reviewers log in, one overrides the machine's seal judgment and
// sends the corrected receipt (through the real ack queue in Redis, the real
// mailer, the test Postfix and Dovecot, read back over IMAP as the applicant:
// once), the other sees who did it, and the exports carry the correction.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { ImapFlow } from "imapflow";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAckHandler, createMailer, type Mailer } from "@intake/ack";
import { Archive } from "@intake/archive";
import { createQueues, redisOptionsFromUrl, type Queues } from "@intake/jobs";
import { Accounts, ArchiveAccountStore, Journal } from "@intake/review";
import { loadCall } from "@intake/schema";
import { createMailUser, IMAP_HOST, IMAP_PORT, removeMailUser, uniqueName } from "../../../test/support/dovecot.js";
import { SMTP_HOST, SMTP_PORT, smtpReady } from "../../../test/support/smtp.js";
import { archiveWithHead } from "../src/archive-head.js";
import { buildReportServer } from "../src/server.js";
import { launchChromium, listenOnLoopback } from "./browser.js";
import { callPath, machineMissedSeal, sampleArchive } from "./sample-archive.js";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const shots = process.env.REPORT_SCREENSHOTS ?? join(process.env.TEST_STATE_DIR ?? "/tmp/exchange-intake-test", "report-screenshots");
const call = loadCall(callPath);
const prefix = `test-workbench-${randomBytes(4).toString("hex")}`;
const mailPassword = randomBytes(8).toString("hex");
const PW = { zhangsan: "张三的密码-correct horse", lisi: "李四的密码-battery staple", admin: "管理员密码-admin only" };

let root: string;
let app: FastifyInstance;
let base: string;
let browser: Browser;
let queues: Queues;
let redis: Redis;
let worker: Worker;
let mailer: Mailer;
let applicant: string;

beforeAll(async () => {
  if (!(await smtpReady())) throw new Error(`Postfix is not answering on ${SMTP_HOST}:${SMTP_PORT}: run scripts/services/up.sh`);
  applicant = `${uniqueName("workbench")}@applicant.example.org`;
  await createMailUser(applicant, mailPassword);
  const made = await sampleArchive({
    ids: ["msg-016", "msg-004", "msg-012", "msg-014", "msg-022", "msg-003", "msg-028"],
    from: (id) => (id === "msg-016" ? applicant : undefined),
    patch: (rec) => {
      if (rec.messageKey === "msg-016") machineMissedSeal(rec.submissions[0]!);
      if (rec.messageKey === "msg-004") {
        // A value read from the scan, unsure; and a seal the machine could not decide.
        const s = rec.submissions[0]!;
        s.sources = { "unit.head": { source: "scan", page: 1, box: { x0: 0.3, y0: 0.4, x1: 0.6, y1: 0.44 }, confidence: 0.62, outcome: "found" } };
        s.decisions = { seal: { outcome: "undecided", confidence: 0.4, reason: "low-confidence", evidence: { page: 1, searched: [{ x0: 0.5, y0: 0.6, x1: 0.9, y1: 0.9 }] } } };
        s.review = { needed: true, reasons: [{ code: "undecided", about: "seal", reason: "low-confidence" }] };
      }
      if (rec.messageKey === "msg-012") {
        const s = rec.submissions[0]!;
        s.decisions = { ...s.decisions, scanMatch: { outcome: "not-found", confidence: 0.9, reason: "read-in-full", evidence: { expected: "中国—东盟人工智能技术人才培训班", actual: "项目名称：中国—东盟智慧城市论坛" } } };
        s.flags = [...s.flags, "scan-mismatch"];
        s.flagDetails = [...(s.flagDetails ?? []), { code: "scan-mismatch", detail: "project name differs" }];
      }
      // A file name that hides its real extension behind a right-to-left override.
      if (rec.messageKey === "msg-022") rec.attachments!.push({ name: "说明\u202egpj.exe", stored: rec.attachments![0]!.stored, type: "exe", size: 10 });
    },
  });
  root = made.root;
  // An email still in the pipeline, and one whose record cannot be read: both must be listed.
  mkdirSync(join(root, "messages/pending-1"), { recursive: true });
  writeFileSync(join(root, "messages/pending-1/message.eml"), "From: 王五 <wangwu@example.org>\r\nSubject: =?utf-8?b?5bCa5Zyo5aSE55CG55qE55Sz5oql?=\r\nDate: Wed, 14 Jan 2026 10:00:00 +0800\r\n\r\nbody\r\n");
  mkdirSync(join(root, "messages/broken-1"), { recursive: true });
  writeFileSync(join(root, "messages/broken-1/message.eml"), "From: x@example.org\r\nSubject: broken\r\n\r\nx\r\n");
  writeFileSync(join(root, "messages/broken-1/record.json"), "{ not json");

  const store = new ArchiveAccountStore(root);
  const accounts = new Accounts(store);
  await accounts.add({ name: "zhangsan", role: "reviewer", password: PW.zhangsan, displayName: "张三" });
  await accounts.add({ name: "lisi", role: "reviewer", password: PW.lisi, displayName: "李四" });
  await accounts.add({ name: "admin", role: "admin", password: PW.admin, displayName: "管理员" });

  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queues = createQueues({ connection: redisOptionsFromUrl(REDIS_URL, { maxRetriesPerRequest: null }), prefix });
  mailer = createMailer({ mode: "smtp", smtp: { host: SMTP_HOST, port: SMTP_PORT, timeoutMs: 5000 }, from: "guoyunlong@cast.org.cn" });
  // The daemon's receipt worker, as services/intake wires it: the journal joined into every receipt.
  const handle = createAckHandler({ store: new Archive({ root }), mailer, call, redis, redisPrefix: `${prefix}:ack:`, journal: new Journal({ root }) });
  worker = new Worker("ack", (job) => handle(job.data, { job }), { connection: redis.duplicate({ maxRetriesPerRequest: null }), prefix });
  await worker.waitUntilReady();

  app = await buildReportServer({ archive: archiveWithHead(new Archive({ root }), root), archiveRoot: root, call, accounts: store, queues, refreshMs: 0 });
  base = await listenOnLoopback(app);
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
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

async function login(name: keyof typeof PW, viewport = { width: 1360, height: 900 }): Promise<{ context: BrowserContext; page: Page; foreign: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport });
  const page = await context.newPage();
  const foreign: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) foreign.push(r.url());
  });
  await page.goto(`${base}/`);
  await page.fill("#name", name);
  await page.fill("#password", PW[name]);
  await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);
  return { context, page, foreign };
}

async function inbox(): Promise<{ subject: string; text: string }[]> {
  const client = new ImapFlow({ host: IMAP_HOST, port: IMAP_PORT, secure: false, auth: { user: applicant, pass: mailPassword }, logger: false });
  await client.connect();
  try {
    const lock = await client.getMailboxLock("INBOX");
    try {
      const out: { subject: string; text: string }[] = [];
      for await (const m of client.fetch("1:*", { envelope: true, source: true })) out.push({ subject: m.envelope?.subject ?? "", text: m.source?.toString("utf8") ?? "" });
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

describe("reviewers' workbench", () => {
  it("two reviewers: one corrects a seal judgment and sends the corrected receipt once, the other sees who did it, the exports carry it", async () => {
    const a = await login("zhangsan");
    const b = await login("lisi");
    // The list opens on the review queue: undecided and flagged first, each with its 受理编号.
    await expect(a.page.locator("nav.tabs a.active").textContent()).resolves.toContain("待核对");
    const firstRows = await a.page.locator("table.sub-list tbody tr").count();
    expect(firstRows).toBeGreaterThan(0);
    await a.page.screenshot({ path: join(shots, "review-queue.png"), fullPage: false });
    const row = a.page.locator("table.sub-list tbody tr", { hasText: "中欧绿色发展科普交流周" });
    await expect(row.textContent()).resolves.toContain("不齐全");
    await Promise.all([a.page.waitForURL(/\/s\/[0-9a-f]{16}$/), row.locator("td.project a").click()]);
    const detailUrl = a.page.url();

    // The evidence: every page as an image, the region searched for the seal drawn on its page.
    const pages = a.page.locator("figure.page img");
    expect(await pages.count()).toBe(5);
    await pages.last().scrollIntoViewIfNeeded();
    await a.page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>("figure.page img")].every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 60_000 });
    await expect(a.page.locator("figure.page rect.mark-searched").count()).resolves.toBe(1);
    await expect(a.page.locator("figure.page rect.mark-signature").count()).resolves.toBe(1);
    await expect(a.page.locator("#d-seal").textContent()).resolves.toContain("可信度 82%");
    // The Word form's own text is in the page.
    await expect(a.page.locator("section.word-text").textContent()).resolves.toContain("中国林学会");
    await a.page.locator("section.viewer").screenshot({ path: join(shots, "detail-page-viewer.png") });
    // The whole sign-off page, out of its scroll box, to look at the marks drawn on it.
    await a.page.evaluate(() => document.querySelector<HTMLElement>(".pages")!.style.setProperty("max-height", "none"));
    await a.page.locator("#page-5").screenshot({ path: join(shots, "detail-seal-page.png") });
    await a.page.evaluate(() => document.querySelector<HTMLElement>(".pages")!.style.removeProperty("max-height"));
    await a.page.screenshot({ path: join(shots, "detail.png"), fullPage: true });

    // Override: the seal is there.
    await a.page.check("#d-seal input[value=found]");
    await a.page.fill("#d-seal input[name=why]", "公章在签字栏右侧，清晰可见");
    await Promise.all([a.page.waitForURL(/#d-seal$/), a.page.click("#d-seal button[type=submit]")]);
    await expect(a.page.locator("#d-seal .corrected-note").textContent()).resolves.toContain("张三");
    await expect(a.page.locator("ul.flags").first().textContent().catch(() => "")).resolves.not.toContain("未见单位公章");

    // The applicant was told the seal was missing: a corrected receipt is due, and goes out once.
    const send = a.page.locator("form.send-receipt button");
    await expect(send.count()).resolves.toBe(1);
    await Promise.all([a.page.waitForURL(/#receipt$/), send.click()]);
    await expect(a.page.locator("form.send-receipt").count()).resolves.toBe(0);
    // A second submission of the same form (a double click, a stale tab) queues nothing.
    const csrf = await a.page.locator("input[name=csrf]").first().inputValue();
    const again = await a.context.request.post(`${detailUrl}/receipt`, { form: { csrf }, maxRedirects: 0 });
    expect(again.status()).toBe(303);
    const got = await waitFor(inbox, (m) => m.length > 0);
    expect(got).toHaveLength(1);
    expect(got[0]!.subject).toMatch(/^【更正】/);
    // Quoted-printable or base64: decode the body as the applicant's client would.
    const { simpleParser } = await import("mailparser");
    const body = (await simpleParser(got[0]!.text)).text ?? "";
    expect(body).toContain(call.ack.correctionNote);
    expect(body).not.toContain(call.ack.flags["missing-seal"]!);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await inbox()).toHaveLength(1);
    expect(await queues.queue("ack").getJobCounts("completed", "waiting", "active", "delayed", "failed")).toMatchObject({ completed: 1, waiting: 0, active: 0, delayed: 0, failed: 0 });
    await a.page.reload();
    await expect(a.page.locator("#receipt").textContent()).resolves.toContain("更正回执");

    // The other reviewer sees who did it, and when.
    await b.page.goto(detailUrl);
    const history = (await b.page.locator("section.review").textContent())!;
    expect(history).toContain("张三");
    expect(history).toContain("单位公章");
    expect(history).toContain("北京时间");

    // The exports carry the correction, marked as one.
    await b.page.goto(`${base}/?state=all&q=${encodeURIComponent("中欧绿色发展科普交流周")}`);
    const [xlsxDl] = await Promise.all([b.page.waitForEvent("download"), b.page.click("text=下载Excel")]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(await xlsxDl.path());
    const ws = wb.getWorksheet("全部申报")!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    expect(new Set(headers).size).toBe(headers.length);
    const cell = (h: string) => ws.getRow(2).getCell(headers.indexOf(h) + 1);
    expect(ws.rowCount).toBe(2);
    expect(cell("单位公章").value).toBe("有");
    expect(cell("单位公章").note).toContain("张三");
    expect(String(cell("审核更正").value)).toContain("张三");
    expect(String(cell("问题").value ?? "")).not.toContain("公章");
    const ref = cell("受理编号").value as { text: string; hyperlink: string };
    expect(ref.hyperlink).toBe(detailUrl);
    expect(cell(`收到时间（北京时间）`).value).toBeInstanceOf(Date);
    const summary = wb.getWorksheet("汇总")!;
    const firstColumn = summary.getColumn(1).values.map(String);
    expect(firstColumn).toContain("生成时间");
    expect(firstColumn).toContain("所属合作机制");
    // The emails without a form, and those without a usable record, are in the workbook too.
    const others = wb.getWorksheet("其他邮件")!;
    expect(others.rowCount - 1).toBe(4);
    expect(others.getColumn(2).values.map(String)).toEqual(expect.arrayContaining(["咨询", "自动回复", "处理中（尚无处理结果）", "处理结果无法读取"]));
    const [csvDl] = await Promise.all([b.page.waitForEvent("download"), b.page.click("text=下载CSV")]);
    const csv = (await import("node:fs")).readFileSync(await csvDl.path(), "utf8");
    expect(csv).toContain("张三");
    expect(csv).toContain("单位公章：无→有");
    expect([...a.foreign, ...b.foreign]).toEqual([]);
    await a.context.close();
    await b.context.close();
  });

  it("lists every email: pending and unreadable ones counted, inquiries in time order with their text, hidden characters shown", async () => {
    const { context, page } = await login("lisi");
    // The queue: the undecided judgment first.
    await expect(page.locator("table.sub-list tbody tr").first().textContent()).resolves.toContain("待人工判断");
    await page.goto(`${base}/?state=all`);
    await page.screenshot({ path: join(shots, "list.png"), fullPage: false });
    const problems = (await page.locator("section.problems").textContent())!;
    expect(problems).toContain("未能列入申报表的邮件（2）");
    expect(problems).toContain("处理中");
    expect(problems).toContain("尚在处理的申报");
    expect(problems).toContain("处理结果无法读取");
    const others = page.locator("details.others tbody tr");
    expect(await others.count()).toBe(2);
    await Promise.all([page.waitForURL(/\/m\/[0-9a-f]{16}$/), others.first().locator("a").first().click()]);
    await expect(page.locator("pre.mail-text").textContent()).resolves.toMatch(/\S{10,}/);
    await page.screenshot({ path: join(shots, "inquiry.png"), fullPage: false });
    // A value read by OCR says so, with its confidence, and is boxed on its page; a mismatch shows both values.
    await page.goto(`${base}/?state=all&q=${encodeURIComponent("中国地理学会")}`);
    await page.click("table.sub-list td.project a");
    await expect(page.locator("table.fields tr.ocr .chip.ocr").textContent()).resolves.toContain("OCR识别 62%");
    await expect(page.locator("#page-1 rect.mark-field").count()).resolves.toBe(1);
    await expect(page.locator("#page-1 rect.mark-searched").count()).resolves.toBe(1);
    // A field corrected by name: the record keeps the call's id, the list files it under the new mechanism.
    const mech = page.locator("table.fields tr", { has: page.locator("th", { hasText: /^所属合作机制$/ }) });
    await mech.locator("details.edit summary").click();
    await mech.locator("textarea[name=value]").fill("中欧");
    await mech.locator("input[name=why]").fill("合作方为欧洲机构");
    await Promise.all([page.waitForLoadState("load"), mech.locator("button[type=submit]").click()]);
    await expect(mech.locator(".corrected-note").textContent()).resolves.toContain("李四");
    await page.goto(`${base}/?state=all&mechanism=china-europe`);
    await expect(page.locator("table.sub-list").textContent()).resolves.toContain("中国地理学会");
    await page.goto(`${base}/?state=all&q=${encodeURIComponent("人工智能技术人才培训班")}`);
    await page.click("table.sub-list td.project a");
    const compare = (await page.locator("#d-scanMatch dl.compare").textContent())!;
    expect(compare).toContain("中国—东盟人工智能技术人才培训班");
    expect(compare).toContain("中国—东盟智慧城市论坛");
    await page.goto(`${base}/?state=all&q=${encodeURIComponent("新疆维吾尔自治区")}`);
    await page.click("table.sub-list td.project a");
    const text = (await page.textContent("main"))!;
    expect(text).toContain("说明\\u202Egpj.exe");
    expect(text).not.toContain("\u202e");
    // Search by the receipt's reference, the Message-ID and the sender's address.
    for (const q of ["<000001dc1bb0$fa95196c$9ec4af59$@cces.net.cn>", applicant]) {
      await page.goto(`${base}/?state=all&q=${encodeURIComponent(q)}`);
      expect(await page.locator("table.sub-list tbody tr").count(), q).toBe(1);
    }
    const ref = (await page.locator("table.sub-list td.ref").textContent())!.trim();
    await page.goto(`${base}/?state=all&q=${encodeURIComponent(ref.toLowerCase())}`);
    expect(await page.locator("table.sub-list tbody tr").count()).toBe(1);
    await context.close();
  });

  it("works on a phone: no sideways scrolling, and a reviewer marks a submission reviewed", async () => {
    const { context, page } = await login("lisi", { width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(shots, "phone-list.png"), fullPage: false });
    await page.locator("table.sub-list td.project a").first().click();
    await page.waitForURL(/\/s\//);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.check("form.state input[value=checked]");
    await page.fill("form.state textarea[name=note]", "材料已核对");
    await Promise.all([page.waitForURL(/#review$/), page.click("form.state button")]);
    await expect(page.locator("section.review").textContent()).resolves.toContain("李四");
    await page.screenshot({ path: join(shots, "phone-detail.png"), fullPage: false });
    await context.close();
  });

  it("keeps the queue dashboard to admins and refuses forms from elsewhere", async () => {
    const reviewer = await login("zhangsan");
    expect((await reviewer.context.request.get(`${base}/admin/queues`, { maxRedirects: 0 })).status()).toBe(403);
    expect((await reviewer.context.request.put(`${base}/admin/queues/api/queues/pause`, { maxRedirects: 0 })).status()).toBe(403);
    const id = (await reviewer.page.getAttribute("table.sub-list td.project a", "href"))!;
    // No token, or a page on another site posting with the reviewer's cookie: refused, nothing journaled.
    const before = (await new Journal({ root }).all()).length;
    expect((await reviewer.context.request.post(`${base}${id}/state`, { form: { state: "rejected" }, maxRedirects: 0 })).status()).toBe(403);
    const csrf = await (await reviewer.context.newPage()).goto(`${base}${id}`).then(async (r) => /name="csrf" value="([^"]+)"/.exec((await r!.text()))![1]!);
    expect((await reviewer.context.request.post(`${base}${id}/state`, { form: { state: "rejected", csrf }, headers: { origin: "https://evil.example" }, maxRedirects: 0 })).status()).toBe(403);
    expect((await new Journal({ root }).all()).length).toBe(before);
    const admin = await login("admin");
    const dash = await admin.context.request.get(`${base}/admin/queues`, { maxRedirects: 0 });
    expect(dash.status()).toBe(200);
    expect((await admin.context.request.put(`${base}/admin/queues/api/queues/pause`, { headers: { origin: "https://evil.example" }, maxRedirects: 0 })).status()).toBe(403);
    await reviewer.context.close();
    await admin.context.close();
  });
});
