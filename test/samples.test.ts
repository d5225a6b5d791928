import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliArgs, repoRoot } from "./support/paths.js";
import { sampleMailboxes, samplesDir } from "./support/samples.js";

const run = promisify(execFile);

interface Submission {
  word: string | null;
  scan: string[];
  fields: Record<string, unknown>;
  signoff: { signature: boolean | null; seal: boolean | null } | null;
  flags: string[];
}
interface Result {
  kind: string;
  ack: boolean;
  submissions: Submission[];
}

/** Equal as the ground truth means it: Unicode width and white space aside, lists in any order. */
function same(expected: unknown, actual: unknown): boolean {
  const fold = (v: unknown): string => JSON.stringify(v ?? null).normalize("NFKC").replace(/\s+/g, "");
  if (Array.isArray(expected) && Array.isArray(actual)) return fold([...expected].map(fold).sort()) === fold([...actual].map(fold).sort());
  return fold(expected) === fold(actual);
}

// The sample mailboxes (Word + scan, scan only, a zip, GBK names, two projects
// in one email, inquiry, newsletter, bounce, auto-reply) through `intake parse`,
// each record checked against its ground truth in samples/expected.
describe("intake parse on the sample mailboxes", () => {
  let dir: string;
  const expected = new Map<string, Result>();
  const actual = new Map<string, Result>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "intake-samples-"));
    await run(process.execPath, [...cliArgs, "parse", sampleMailboxes, "--out", join(dir, "records"), "--archive", join(dir, "archive")], { cwd: repoRoot, maxBuffer: 64 << 20 });
    for (const f of (await readdir(join(samplesDir, "expected"))).filter((x) => x.endsWith(".json"))) {
      expected.set(f, JSON.parse(await readFile(join(samplesDir, "expected", f), "utf8")));
      actual.set(f, JSON.parse(await readFile(join(dir, "records", f), "utf8").catch(() => "null")));
    }
  }, 900_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Each expected submission with the record's submission of the same files. */
  const pairs = (filter: (s: Submission) => boolean) =>
    [...expected].flatMap(([id, exp]) =>
      exp.submissions.filter(filter).map((es) => ({ id, es, as: actual.get(id)?.submissions.find((s) => s.word === es.word && same(es.scan, s.scan)) })),
    );

  it("writes one record per email, each email archived once", async () => {
    expect((await readdir(join(dir, "records"))).sort()).toEqual([...expected.keys()].sort());
    expect(await readdir(join(dir, "archive/messages"))).toHaveLength(expected.size);
  });

  it("classifies every email and finds every project with its files", () => {
    for (const [id, exp] of expected) {
      const act = actual.get(id)!;
      expect({ id, kind: act.kind, ack: act.ack }).toEqual({ id, kind: exp.kind, ack: exp.ack });
      expect(act.submissions.length, id).toBe(exp.submissions.length);
    }
    for (const p of pairs(() => true)) expect(p.as, `${p.id} ${p.es.word ?? p.es.scan[0]}`).toBeDefined();
  });

  it("reads the Word forms' fields", () => {
    let total = 0;
    let right = 0;
    for (const { es, as } of pairs((s) => s.word !== null)) {
      for (const [k, v] of Object.entries(es.fields)) {
        total++;
        if (same(v, as?.fields[k])) right++;
      }
    }
    expect(total).toBeGreaterThan(300);
    expect(right / total).toBeGreaterThanOrEqual(0.995);
  });

  it("reads most fields of a scanned form that came without its Word file", () => {
    const scanOnly = pairs((s) => s.word === null && s.scan.length > 0);
    expect(scanOnly.length).toBeGreaterThan(0);
    for (const { id, es, as } of scanOnly) {
      const keys = Object.keys(es.fields);
      const right = keys.filter((k) => same(es.fields[k], as?.fields[k])).length;
      expect(right / keys.length, id).toBeGreaterThanOrEqual(0.8);
    }
  });

  // A judgment cut short (the work budget on a busy machine, an OCR failure)
  // is undecided and goes to a person; a decided one must match the truth.
  it("judges signature and seal, never against the truth", () => {
    let decided = 0;
    let undecided = 0;
    for (const { id, es, as } of pairs((s) => s.scan.length > 0)) {
      for (const k of ["signature", "seal"] as const) {
        const got = as?.signoff?.[k] ?? null;
        if (got === null) undecided++;
        else {
          decided++;
          expect({ id, [k]: got }).toEqual({ id, [k]: es.signoff?.[k] });
        }
      }
    }
    console.log(`sample sign-off judgments: ${decided} decided, ${undecided} undecided`);
    expect(decided).toBeGreaterThan(0);
  });

  it("raises every flag of the Word forms and demands nothing the applicant sent right", () => {
    const FORM = /^(missing-field|invalid-field|country-outside-mechanism|excluded-project-kind)/;
    for (const { id, es, as } of pairs(() => true)) {
      const got = as?.flags ?? [];
      expect({ id, notInTruth: got.filter((f) => !es.flags.includes(f)) }).toEqual({ id, notInTruth: [] });
      if (es.word) expect({ id, formFlags: got.filter((f) => FORM.test(f)).sort() }).toEqual({ id, formFlags: es.flags.filter((f) => FORM.test(f)).sort() });
      // A missing signature or seal is claimed exactly when it was judged absent.
      expect(got.includes("missing-signature"), id).toBe(as?.signoff?.signature === false);
      expect(got.includes("missing-seal"), id).toBe(as?.signoff?.seal === false);
    }
  });
});
