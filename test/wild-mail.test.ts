import { execFile } from "node:child_process";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MessageResult } from "@intake/schema";
import { cliArgs, repoRoot } from "./support/paths.js";
import { describeShared, sharedPath } from "./support/shared.js";

const run = promisify(execFile);

// Real-world messy messages from public mail-library test suites: each yields
// a valid record (kind "other" at worst) and the run stays bounded.
function wildMailSuite(folder: string): void {
  let dir: string;
  let stderr = "";

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "intake-wild-"));
    const r = await run(process.execPath, [...cliArgs, "parse", folder, "--out", join(dir, "out"), "--archive", join(dir, "archive"), "--stats"], {
      cwd: repoRoot,
      maxBuffer: 64 << 20,
      timeout: 900_000,
    });
    stderr = r.stderr;
  }, 1_000_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("gives every message a valid record", async () => {
    const emls = (await readdir(folder)).filter((f) => f.endsWith(".eml"));
    const out = await readdir(join(dir, "out"));
    expect(emls.length).toBeGreaterThanOrEqual(10);
    expect(out.length).toBe(emls.length);
    for (const f of out) {
      const rec = JSON.parse(await readFile(join(dir, "out", f), "utf8"));
      expect(MessageResult.safeParse(rec).success, f).toBe(true);
    }
    const stats = JSON.parse(stderr.match(/stats (\{.*\})/)![1]!);
    console.log(`wild mail: ${JSON.stringify(stats)}`);
    expect(stats.peakRssMb).toBeLessThan(1024);
  });
}

describe("wild mail kept in the repository", () => wildMailSuite(join(repoRoot, "test/fixtures/wild-mail")));

describeShared("wild mail of the measurement set", ["wild-mail"], () => wildMailSuite(sharedPath("wild-mail")));
