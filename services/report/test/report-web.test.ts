// The web view as a reviewer uses it, in a real (headless) Chromium against
// the real server reading an archive through the pipeline's Archive.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Archive } from "@intake/archive";
import { Accounts, ArchiveAccountStore } from "@intake/review";
import { loadCall, type MessageResult } from "@intake/schema";
import { flagWords, reportLabels, type ReportLabels } from "@intake/report";
import { callPath, sampleArchive, hostileRecord, putRecord, XSS } from "../../../packages/report/test/sample-archive.js";
import { buildReportServer } from "../src/server.js";
import { launchChromium, listenOnLoopback } from "./browser.js";

const PASSWORD = "审阅-correct horse battery";
const shots = join(tmpdir(), "report-screenshots");

let app: FastifyInstance;
let base: string;
let browser: Browser;
let records: MessageResult[];
let labels: ReportLabels;
let root: string;

beforeAll(async () => {
  const made = await sampleArchive();
  root = made.root;
  const hostile = hostileRecord(made.records.find((r) => r.submissions.length === 1 && r.submissions[0]!.word)!);
  putRecord(root, hostile);
  records = [...made.records, hostile];
  // A receipt as the receipt step logs it, with the email it wrote.
  mkdirSync(join(root, "acks"), { recursive: true });
  mkdirSync(join(root, "outbox"), { recursive: true });
  writeFileSync(join(root, "acks/msg-012.json"), JSON.stringify({ ackKey: "msg-012", messageKey: "msg-012", reason: "new", status: "sent", to: "apply@example.org", reference: "2026-7K3M9QZD", attempts: 1, resends: 0, sentAt: "2026-01-12T02:00:00.000Z", updatedAt: "2026-01-12T02:00:00.000Z", messageId: "<ack.1@cast.org.cn>" }));
  writeFileSync(join(root, "outbox/msg-012.eml"), "Subject: receipt\r\n\r\nreceived\r\n");
  const call = loadCall(callPath);
  labels = reportLabels(call);
  const accounts = new ArchiveAccountStore(root);
  await new Accounts(accounts).add({ name: "reviewer", role: "reviewer", password: PASSWORD });
  app = await buildReportServer({ archive: new Archive({ root }), archiveRoot: root, call, accounts, refreshMs: 0 });
  base = await listenOnLoopback(app);
  browser = await launchChromium();
  mkdirSync(shots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function loggedIn(): Promise<{ context: BrowserContext; page: Page; dialogs: string[]; foreign: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  const dialogs: string[] = [];
  const foreign: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith("data:")) foreign.push(r.url());
  });
  await page.goto(`${base}/`);
  expect(page.url()).toContain("/login");
  await page.fill("input[name=name]", "reviewer");
  await page.fill("input[name=password]", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForURL(`${base}/`);
  return { context, page, dialogs, foreign };
}

const allSubs = () => records.flatMap((r) => r.submissions.map((s) => ({ r, s })));

describe("web view", () => {
  it("refuses a wrong password and sets no session", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill("input[name=name]", "reviewer");
    await page.fill("input[name=password]", "wrong password");
    const [res] = await Promise.all([page.waitForResponse((r) => r.url().endsWith("/login") && r.request().method() === "POST"), page.click("button[type=submit]")]);
    expect(res.status()).toBe(401);
    await expect(page.textContent(".error")).resolves.toContain("账号或密码不正确");
    expect((await context.cookies()).filter((c) => c.name === "intake_report_session")).toEqual([]);
    const direct = await context.request.get(`${base}/s/anything/eml`, { maxRedirects: 0 });
    expect(direct.status()).toBe(303);
    expect(direct.headers().location).toContain("/login");
    await context.close();
  });

  it("logs in, filters by a flag, opens a submission, sees its seal crop and downloads the workbook", async () => {
    const { context, page, dialogs, foreign } = await loggedIn();
    const cookie = (await context.cookies()).find((c) => c.name === "intake_report_session")!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Strict");
    await page.screenshot({ path: join(shots, "list.png"), fullPage: false });

    await page.goto(`${base}/?state=all`);
    await page.click("details.filters-box summary");
    await page.selectOption("select[name=flag]", "missing-signature");
    await page.click("form.filters button[type=submit]");
    await page.waitForURL(/flag=missing-signature/);
    const expected = allSubs().filter(({ s }) => s.flags.includes("missing-signature"));
    const rowsShown = page.locator("main table.sub-list tbody tr");
    await expect(rowsShown.count()).resolves.toBe(expected.length);
    for (const { s } of expected) await expect(page.locator("main table.sub-list").textContent()).resolves.toContain(s.fields["cover.projectName"]!);

    const withSeal = expected.find(({ s }) => s.signoff.seal)!;
    await page.click(`text=${withSeal.s.fields["cover.projectName"]}`);
    await page.waitForURL(/\/s\/[0-9a-f]{16}$/);
    const img = page.locator("figure.decision-seal img");
    await expect(img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).resolves.toBe(true);
    const text = (await page.textContent("main"))!;
    for (const f of withSeal.s.flags) expect(text).toContain(flagWords(f, labels));
    expect(text).toContain(labels.field("unit.creditCode"));
    expect(text).toContain(withSeal.s.fields["unit.creditCode"]!);
    expect(text).toContain("已发送");
    expect(text).toContain("2026-7K3M9QZD");
    await page.screenshot({ path: join(shots, "submission.png"), fullPage: true });

    // The original files come back byte for byte, under their Chinese names.
    const [wordDl] = await Promise.all([page.waitForEvent("download"), page.click(`text=${withSeal.s.word}`)]);
    expect(wordDl.suggestedFilename()).toBe(withSeal.s.word);
    const stored = withSeal.r.attachments!.find((a) => a.name === withSeal.s.word)!.stored!;
    expect(readFileSync(await wordDl.path())).toEqual(readFileSync(join(root, stored)));
    const [emlDl] = await Promise.all([page.waitForEvent("download"), page.click("text=message.eml")]);
    expect(emlDl.suggestedFilename()).toMatch(/\.eml$/);

    await page.goto(`${base}/?state=all&flag=missing-signature`);
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click("text=下载Excel")]);
    const file = join(root, "download.xlsx");
    await dl.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet("全部申报")!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    expect(ws.rowCount - 1).toBe(expected.length);
    for (let i = 2; i <= ws.rowCount; i++) {
      const cell = (h: string) => {
        const v = ws.getRow(i).getCell(headers.indexOf(h) + 1).value;
        return v === null ? "" : v;
      };
      const match = expected.find(({ s }) => s.fields["cover.projectName"] === cell("项目名称"))!;
      expect(match).toBeTruthy();
      expect(cell("单位名称")).toBe(match.s.fields["unit.name"]);
      expect(cell(labels.field("cover.mobile"))).toBe(match.s.fields["cover.mobile"] ?? "");
      expect(String(cell("问题"))).toContain(flagWords("missing-signature", labels));
      expect(cell("所属合作机制")).toBe(labels.mechanism(match.s.fields["project.mechanism"]));
    }
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  });

  it("shows hostile values as text: nothing runs, nothing loads from elsewhere", async () => {
    const { context, page, dialogs, foreign } = await loggedIn();
    await page.goto(`${base}/?state=all`);
    await page.fill("form.search input[name=q]", "onerror");
    await page.click("form.search button[type=submit]");
    await page.click("main table.sub-list tbody tr td.project a");
    await page.waitForURL(/\/s\//);
    const text = (await page.textContent("main"))!;
    expect(text).toContain(XSS.unit);
    expect(text).toContain(XSS.project);
    expect(text).toContain(XSS.contact);
    expect(text).toContain(XSS.file);
    await expect(page.locator("main script, main svg[onload], main img[src=x]").count()).resolves.toBe(0);
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click("ul.files a >> nth=0")]);
    expect(dl.suggestedFilename()).not.toContain("/");
    expect(readFileSync(await dl.path()).toString()).toContain("archived copy of");
    const res = await context.request.get(page.url());
    expect(res.headers()["content-security-policy"]).toContain("default-src 'none'");
    expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
    await context.close();
  });

  it("lists the emails without a project form, with their raw email", async () => {
    const { context, page } = await loggedIn();
    const others = records.filter((r) => r.submissions.length === 0);
    await expect(page.textContent("details.others summary")).resolves.toContain(`（${others.length}，`);
    await expect(page.locator("details.others tbody tr").count()).resolves.toBe(others.length);
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click('details.others tbody tr a[href$="/eml"] >> nth=0')]);
    const key = dl.suggestedFilename().replace(/\.eml$/, "");
    expect(others.map((o) => o.messageKey)).toContain(key);
    expect(readFileSync(await dl.path())).toEqual(readFileSync(join(root, "messages", key, "message.eml")));
    await context.close();
  });

  it("serves no file outside the submission's own, and logs out", async () => {
    const { context, page } = await loggedIn();
    const id = (await page.getAttribute("main table.sub-list tbody tr td.project a", "href"))!.split("/").pop()!;
    for (const p of [`/m/${"0".repeat(16)}/eml`, `/s/${id}/scan/99`, `/s/${id}/crop/../../record`, `/s/${id}/..%2F..%2Fetc%2Fpasswd`, `/s/%2e%2e/word`, `/s/${id}/scan/-1`]) {
      const res = await context.request.get(`${base}${p}`, { maxRedirects: 0 });
      expect(res.status(), p).toBe(404);
    }
    await page.click("text=退出登录");
    await page.waitForURL(/\/login/);
    const after = await context.request.get(`${base}/`, { maxRedirects: 0 });
    expect(after.status()).toBe(303);
    await context.close();
  });
});
