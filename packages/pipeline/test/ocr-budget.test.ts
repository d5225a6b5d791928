// OCR work bounded per email and per sender, not only per copy: what a
// budget leaves unread is undecided, never "missing".
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeAck, readOriginal } from "@intake/ack";
import { createOcrPool, type OcrPool } from "@intake/scan";
import { loadCall } from "@intake/schema";
import { Archive } from "@intake/archive";
import { createLogger } from "@intake/logger";
import { assembleStep, parseStep, scanStep } from "../src/runner/steps.js";
import { recordOcrUse, senderOcrLeft, shareOcr } from "../src/steps/ocr-budget.js";
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
  it("shares one email's budget evenly among its copies, and never more than 12 ways", () => {
    const budgets = { perMessage: 1200, perSender: 100_000 };
    expect(shareOcr(groups(3), budgets).map((g) => g.ocrMegapixels)).toEqual([400, 400, 400]);
    // At the attachment cap (50 copies) the email costs no more than 12 copies' useful shares; the rest are not opened.
    const fifty = shareOcr(groups(50), budgets).map((g) => g.ocrMegapixels!);
    expect(fifty.reduce((n, g) => n + g, 0)).toBeLessThanOrEqual(1200);
    expect(fifty.filter((g) => g > 0)).toEqual(Array(12).fill(100));
  });

  it("bounds what one sender's copies use together, whatever the address's case or +tag", async () => {
    const budgets = { perMessage: 1200, perSender: 1000 };
    expect(await senderOcrLeft("flood@evil.example", "m1", "g1", archive, budgets)).toBe(1000);
    await recordOcrUse("Flood@Evil.example", "m1", "g1", 400, archive);
    await recordOcrUse("flood+x@evil.example", "m2", "g1", 350, archive);
    expect(await senderOcrLeft("flood@evil.example", "m3", "g1", archive, budgets)).toBe(250);
    // A copy read again (a retry, a replay) does not count its own earlier use against itself.
    expect(await senderOcrLeft("flood@evil.example", "m2", "g1", archive, budgets)).toBe(600);
    await recordOcrUse("flood@evil.example", "m3", "g1", 300, archive);
    expect(await senderOcrLeft("flood@evil.example", "m4", "g1", archive, budgets)).toBe(0);
    // Another sender's budget is untouched.
    expect(await senderOcrLeft("apply@unit.example.org", "m5", "g1", archive, budgets)).toBe(1000);
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
