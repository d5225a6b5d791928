import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cliArgs, repoRoot } from "./support/paths.js";
import { describeShared, sharedDir } from "./support/shared.js";

const run = promisify(execFile);

// The whole development corpus through `intake parse` (the daemon's pipeline,
// offline), scored by the shared scorer against its ground truth.
describeShared("intake parse on the corpus", ["corpus", "tools/score.mjs"], () => {
  let dir: string;
  let summary: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "intake-corpus-"));
    await run(process.execPath, [...cliArgs, "parse", join(sharedDir, "corpus/mailboxes"), "--out", join(dir, "records"), "--archive", join(dir, "archive")], {
      cwd: repoRoot,
      maxBuffer: 64 << 20,
    });
    const score = await run(process.execPath, [join(sharedDir, "tools/score.mjs"), "--expected", join(sharedDir, "corpus/expected"), "--actual", join(dir, "records"), "--verbose"], {
      maxBuffer: 64 << 20,
    }).catch((e: { stdout: string }) => e);
    summary = score.stdout;
    console.log(summary);
  }, 1_200_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const figure = (re: RegExp): number => Number(summary.match(re)?.[1] ?? NaN);

  it("writes one record per email file, each email once", async () => {
    const expected = (await readdir(join(sharedDir, "corpus/expected"))).filter((f) => f.endsWith(".json"));
    const actual = await readdir(join(dir, "records"));
    expect(actual.sort()).toEqual(expected.sort());
    const keys = await readdir(join(dir, "archive/messages"));
    expect(keys).toHaveLength(expected.length);
  });

  it("classifies every email and finds every project", () => {
    expect(figure(/kind ([\d.]+)%/)).toBe(100);
    expect(figure(/ack ([\d.]+)%/)).toBe(100);
    const [found, total] = summary.match(/submissions found (\d+)\/(\d+)/)!.slice(1).map(Number);
    expect(found).toBe(total);
  });

  it("reads every field of the Word forms", async () => {
    // Field by field against the ground truth, for the projects that came with a Word file.
    let total = 0;
    let right = 0;
    const fold = (v: unknown): string => JSON.stringify(v ?? null).normalize("NFKC").replace(/\s+/g, "");
    for (const f of (await readdir(join(sharedDir, "corpus/expected"))).filter((x) => x.endsWith(".json"))) {
      const exp = JSON.parse(await readFile(join(sharedDir, "corpus/expected", f), "utf8"));
      const act = JSON.parse(await readFile(join(dir, "records", f), "utf8"));
      for (const es of exp.submissions.filter((s: { word: string | null }) => s.word)) {
        const as = act.submissions.find((s: { word: string | null }) => s.word === es.word);
        for (const [k, v] of Object.entries(es.fields)) {
          total++;
          const a = as?.fields?.[k];
          if (Array.isArray(v) && Array.isArray(a) ? fold([...v].map(fold).sort()) === fold([...a].map(fold).sort()) : fold(v) === fold(a)) right++;
        }
      }
    }
    expect(total).toBeGreaterThan(800);
    expect(right / total).toBeGreaterThanOrEqual(0.995);
  });

  it("reads most fields of a scanned form that came without its Word file", () => {
    // Over all projects, scan-only ones included (their fields come from OCR).
    expect(figure(/fields ([\d.]+)%/)).toBeGreaterThanOrEqual(99.3);
  });

  it("judges signature and seal", () => {
    expect(figure(/signature ([\d.]+)%/)).toBeGreaterThanOrEqual(99);
    expect(figure(/seal ([\d.]+)%/)).toBeGreaterThanOrEqual(99);
    expect(summary).not.toMatch(/seal reported but absent/);
  });

  it("raises the expected flags", () => {
    expect(figure(/flags F1 ([\d.]+)%/)).toBeGreaterThanOrEqual(98);
  });

  it("records are valid JSON of the result shape", async () => {
    const rec = JSON.parse(await readFile(join(dir, "records/msg-004.json"), "utf8"));
    expect(rec.messageId).toMatch(/^<.+>$/);
    expect(Array.isArray(rec.submissions)).toBe(true);
  });
});
