import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composeAck, readOriginal } from "@intake/ack";
import { messageKeyOf } from "@intake/mail";
import { Archive } from "@intake/archive";
import { createLogger } from "@intake/logger";
import { assembleStep, parseStep, scanStep } from "@intake/pipeline";
import { createOcrPool, type OcrPool } from "@intake/scan";
import { isIntakeError, loadCall, type MessageResult } from "@intake/schema";
import { repoRoot } from "./support/paths.js";

// What our own limits and failures do to an applicant's file: nothing. A copy
// the work budget cuts short, or whose OCR engine fails, is undecided: no
// missing-signature, missing-seal or unreadable-attachment, a receipt that
// asks for nothing about it, and a record that says a person must look.
const call = loadCall(resolve(repoRoot, "config/calls/2026.yaml"));
const logger = createLogger({ level: "silent" });
const DEMANDS = /^(missing-signature|missing-seal|unreadable-attachment|scan-mismatch)/;

describe("judgments cut short are undecided, never demands", () => {
  let dir: string;
  let raw: Buffer;
  let key: string;
  let ocr: OcrPool;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "intake-undecided-"));
    // A Word form with its signed and sealed scan (the samples' ground truth: both present).
    raw = await readFile(resolve(repoRoot, "samples/mailboxes/guoyunlong/msg-004.eml"));
    key = messageKeyOf(raw);
    ocr = await createOcrPool();
  });
  afterAll(async () => {
    await ocr.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function freshArchive(name: string): Promise<Archive> {
    const archive = new Archive({ root: join(dir, name) });
    await archive.init();
    await archive.putRaw(key, raw, { mailbox: "guoyunlong", seenAt: new Date().toISOString() });
    return archive;
  }

  async function receiptText(record: MessageResult): Promise<string> {
    const ack = composeAck({ record, original: await readOriginal(raw), call, reference: "T-1" });
    expect(ack).not.toBeNull();
    return ack!.text;
  }

  function expectUndecided(record: MessageResult, reason: string): void {
    const s = record.submissions[0]!;
    expect(s.flags.filter((f) => DEMANDS.test(f))).toEqual([]);
    expect(s.signoff).toMatchObject({ signature: null, seal: null });
    expect(s.decisions?.signature).toMatchObject({ outcome: "undecided", reason });
    expect(s.decisions?.seal).toMatchObject({ outcome: "undecided", reason });
    expect(s.review?.needed).toBe(true);
    expect(s.review?.reasons.map((r) => r.about)).toEqual(expect.arrayContaining(["signature", "seal"]));
  }

  it("a tiny OCR budget leaves signature and seal undecided, and the receipt asks for nothing", async () => {
    const archive = await freshArchive("budget");
    const deps = { archive, call, logger };
    const parsed = await parseStep(key, deps);
    expect(parsed.scanGroups).toHaveLength(1);
    await scanStep(key, parsed.scanGroups[0]!.id, { ...deps, ocr, scanLimits: { ocrMegapixels: 0.5 } });
    const { record } = await assembleStep(key, deps);
    expectUndecided(record, "budget-spent");
    const text = await receiptText(record);
    expect(text).toContain(call.ack.review);
    expect(text).toContain(call.ack.reviewItems.seal);
    expect(text).not.toContain(call.ack.flags["missing-seal"]!);
    expect(text).not.toContain(call.ack.flags["missing-signature"]!);
    expect(text).not.toContain(call.ack.complete);
  });

  it("an OCR engine that fails mid-copy is retried, and after the last retry the copy is undecided", async () => {
    const archive = await freshArchive("engine");
    const deps = { archive, call, logger };
    const parsed = await parseStep(key, deps);
    // A worker that hangs past its time limit is replaced and the recognition fails: our failure, not the file's.
    const hung = await createOcrPool({ jobTimeoutMs: 1 });
    try {
      const err = await scanStep(key, parsed.scanGroups[0]!.id, { ...deps, ocr: hung }).catch((e: unknown) => e);
      expect(isIntakeError(err) && !err.permanent && err.code.startsWith("OCR_")).toBe(true);
    } finally {
      await hung.close();
    }
    // Retries spent, the scan step left nothing behind: the record is assembled without it.
    const { record } = await assembleStep(key, deps);
    expectUndecided(record, "job-failed");
    expect(record.submissions[0]!.decisions?.scanMatch).toMatchObject({ outcome: "undecided" });
    const text = await receiptText(record);
    expect(text).toContain(call.ack.reviewItems.signature);
    expect(text).not.toContain(call.ack.flags["unreadable-attachment"]!.slice(0, 6));
  });

  it("the same copy read in full is decided: found, with its evidence", async () => {
    const archive = await freshArchive("full");
    const deps = { archive, call, logger };
    const parsed = await parseStep(key, deps);
    await scanStep(key, parsed.scanGroups[0]!.id, { ...deps, ocr });
    const { record } = await assembleStep(key, deps);
    const s = record.submissions[0]!;
    expect(s.signoff).toMatchObject({ signature: true, seal: true });
    expect(s.decisions?.seal?.evidence?.crop).toMatch(/^messages\//);
    expect(s.flags.filter((f) => DEMANDS.test(f))).toEqual([]);
    expect(s.review?.needed).toBe(false);
    expect(await receiptText(record)).not.toContain(call.ack.review);
  });
});
