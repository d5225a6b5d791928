// The deployment files: kept correct by reading where Docker cannot run, and by `docker compose config` where it can.
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./support/paths.js";

const run = promisify(execFile);

async function composeAvailable(): Promise<string | null> {
  try {
    await run("docker", ["compose", "version"], { timeout: 20_000 });
    return null;
  } catch (err) {
    return `docker compose is not installed here (${((err as Error).message.split("\n")[0] ?? "").slice(0, 120)})`;
  }
}

const skipReason = await composeAvailable();
const SECRETS = {
  INTAKE_MAILBOX_GUOYUNLONG_PASSWORD: "pw-g",
  INTAKE_MAILBOX_QIJIARU_PASSWORD: "pw-q",
};

describe("docker image", () => {
  it("copies every workspace package's manifest before the frozen install", async () => {
    const dockerfile = await readFile(join(repoRoot, "docker/Dockerfile"), "utf8");
    const manifests: string[] = [];
    for (const top of ["packages", "services"]) {
      for (const name of await readdir(join(repoRoot, top))) {
        const rel = `${top}/${name}/package.json`;
        if (await readFile(join(repoRoot, rel)).then(() => true, () => false)) manifests.push(rel);
      }
    }
    expect(manifests.length).toBeGreaterThan(0);
    for (const m of manifests) expect(dockerfile, `${m} missing from docker/Dockerfile`).toContain(`COPY ${m} `);
    expect(dockerfile).toMatch(/pnpm install --frozen-lockfile/);
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim/m);
  });
});

describe.skipIf(skipReason !== null)(`docker compose config${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  it("accepts the compose file when the secrets are in the environment", async () => {
    const { stdout } = await run("docker", ["compose", "-f", "docker-compose.yml", "config"], { cwd: repoRoot, env: { ...process.env, ...SECRETS } });
    expect(stdout).toMatch(/noeviction/);
    expect(stdout).toMatch(/appendonly/);
  });

  it("refuses to start without the mailbox passwords", async () => {
    const env = { ...process.env };
    for (const k of Object.keys(SECRETS)) delete env[k];
    await expect(run("docker", ["compose", "-f", "docker-compose.yml", "config"], { cwd: repoRoot, env })).rejects.toThrow(/INTAKE_MAILBOX_|password/);
  });
});
