// `intake report` as an operator runs it: the CLI over an archive folder.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { sampleArchive, repoRoot } from "../packages/report/test/sample-archive.js";

const run = promisify(execFile);
const tsx = join(repoRoot, "node_modules/.bin/tsx");
const cli = join(repoRoot, "services/intake/src/cli.ts");
const cleanup: string[] = [];

afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

describe("intake report", () => {
  it("writes index.html, submissions.xlsx and submissions.csv from an archive", async () => {
    const { root, records } = await sampleArchive();
    cleanup.push(root);
    const out = join(root, "report");
    const res = await run(tsx, [cli, "report", "--archive", root, "--out", out], { cwd: repoRoot, timeout: 180_000 });
    const subs = records.reduce((n, r) => n + r.submissions.length, 0);
    expect(res.stdout).toContain(`${subs} submissions from ${records.length} messages`);
    for (const f of ["index.html", "submissions.xlsx", "submissions.csv"]) expect(existsSync(join(out, f)), f).toBe(true);
    // Its content is checked cell by cell in packages/report; here: a complete zip (an .xlsx is one).
    const xlsx = readFileSync(join(out, "submissions.xlsx"));
    expect(xlsx.subarray(0, 2).toString()).toBe("PK");
    expect(xlsx.includes(Buffer.from("PK\x05\x06", "latin1"))).toBe(true);
    const csv = readFileSync(join(out, "submissions.csv"));
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.toString("utf8").trimEnd().split("\r\n").length).toBeGreaterThanOrEqual(subs + 1);
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain("申报汇总");
  });

  it("explains its usage and exits 2 without --archive and --out", async () => {
    const err = await run(tsx, [cli, "report"], { cwd: repoRoot, timeout: 60_000 }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toContain("usage: intake report --archive DIR --out DIR");
  });
});
