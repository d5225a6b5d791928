// OCR work bounded per email and per sender, not only per copy: what a
// budget leaves unread is undecided, never "missing".
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeAck, readOriginal } from "@intake/ack";
import { createOcrPool, type OcrPool } from "@intake/scan";
import { loadCall } from "@intake/schema";
import { Archive } from "../src/archive/archive.js";
import { createLogger } from "../src/logger.js";
import { assembleStep, parseStep, scanStep } from "../src/process-message.js";
import { allocateOcr, recordOcrUse } from "../src/steps/ocr-budget.js";
import type { ScanGroup } from "../src/stage.js";

const repo = resolve(import.meta.dirname, "../../..");
const call = loadCall(join(repo, "config/calls/2026.yaml"));
const logger = createLogger({ level: "silent" });
const groups = (n: number): ScanGroup[] => Array.from({ length: n }, (_, i) => ({ id: `g${i + 1}`, files: [] }));

let dir: string;
let archive: Archive;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "ocr-budget-"));
  archive = new Archive({ root: dir });
  await archive.init();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("OCR budgets", () => {
  it("shares one email's budget evenly among its copies", async () => {
    const budgets = { perMessage: 1200, perSender: 100_000 };
    const msg = (k: string) => ({ messageKey: k, from: "a@unit.example.org", receivedAt: "2026-01-05T00:00:00Z" });
    expect((await allocateOcr(msg("three"), groups(3), archive, budgets)).map((g) => g.ocrMegapixels)).toEqual([400, 400, 400]);
    // At the attachment cap (50 copies) the email costs no more than three copies in full.
    const fifty = (await allocateOcr(msg("fifty"), groups(50), archive, budgets)).map((g) => g.ocrMegapixels!);
    expect(fifty.reduce((n, g) => n + g, 0)).toBeLessThanOrEqual(1200);
    // Each copy read gets enough to decide; the others are not even opened.
    expect(fifty.filter((g) => g > 0)).toEqual(Array(12).fill(100));
  });

  it("bounds one sender's emails together, in arrival order whatever the processing order", async () => {
    const budgets = { perMessage: 400, perSender: 1000 };
    const msg = (k: string, day: number) => ({ messageKey: k, from: "Flood@Evil.example", receivedAt: `2026-01-0${day}T00:00:00Z` });
    const share = async (k: string, day: number) => (await allocateOcr(msg(k, day), groups(1), archive, budgets))[0]!.ocrMegapixels;
    expect(await share("m3", 3)).toBe(400);
    expect(await share("m1", 1)).toBe(400);
    expect(await share("m2", 2)).toBe(400);
    // Taken again (a replay), the third email gets what the two before it left.
    expect(await share("m3", 3)).toBe(200);
    expect(await share("m4", 4)).toBe(0);
    // Once read, an email counts what it used, not what it was given; a +tag is the same sender.
    await recordOcrUse({ messageKey: "m1", from: "flood+x@evil.example" }, 50, archive);
    expect(await share("m4", 4)).toBe(1000 - 50 - 400 - 200);
  });
});

describe("a copy the budget does not reach", () => {
  let ocr: OcrPool;
  beforeAll(async () => {
    ocr = await createOcrPool();
  });
  afterAll(() => ocr.close());

  it("is undecided (budget-spent), with no demand and a receipt that asks nothing about it", async () => {
    const raw = await readFile(join(repo, "samples/mailboxes/guoyunlong/msg-004.eml"));
    const own = new Archive({ root: join(dir, "spent") });
    await own.init();
    const { messageKey } = await own.putMessage(raw, { mailbox: "guoyunlong", seenAt: new Date().toISOString() });
    const deps = { archive: own, call, logger, ocrBudgets: { perMessage: 1200, perSender: 0 } };
    const parsed = await parseStep(messageKey, deps);
    expect(parsed.scanGroups.map((g) => g.ocrMegapixels)).toEqual([0]);
    await scanStep(messageKey, parsed.scanGroups[0]!.id, { ...deps, ocr });
    const { record } = await assembleStep(messageKey, deps);
    const s = record.submissions[0]!;
    expect(s.flags.filter((f) => /^missing-(signature|seal)|^unreadable/.test(f))).toEqual([]);
    expect(s.decisions?.signature).toMatchObject({ outcome: "undecided", reason: "budget-spent" });
    expect(s.decisions?.seal).toMatchObject({ outcome: "undecided", reason: "budget-spent" });
    expect(s.review?.needed).toBe(true);
    const text = composeAck({ record, original: await readOriginal(raw), call, reference: "R" })!.text;
    expect(text).toContain(call.ack.reviewItems.seal);
    expect(text).not.toContain(call.ack.flags["missing-seal"]!);
  }, 120_000);
});
