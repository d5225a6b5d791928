// Stop signals as systemd and a terminal send them: to the whole process
// group of `npm run intake -- run`, which reaches npm, its shell and node.
import { spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { createMailUser, removeMailUser, uniqueName } from "./support/dovecot.js";
import { writeDaemonConfig } from "./support/daemon.js";
import { repoRoot } from "./support/paths.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("npm run intake -- run", () => {
  it("stops gracefully, once, on a SIGTERM to its process group, and leaves no node behind", async () => {
    const u = await createMailUser(uniqueName("signals"), uniqueName("pw"));
    cleanups.push(() => removeMailUser(u.user));
    const cfg = await writeDaemonConfig([{ id: "guoyunlong", ...u }], { prefix: uniqueName("t-signals") });
    cleanups.push(cfg.cleanup);
    const npm = spawn("npm", ["run", "-s", "intake", "--", "run", "--config", cfg.configFile, "--roles", "poll"], { cwd: repoRoot, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    cleanups.push(async () => {
      if (npm.exitCode === null) process.kill(-npm.pid!, "SIGKILL");
    });
    let out = "";
    npm.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    npm.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => npm.once("exit", (code) => r(code)));
    const end = Date.now() + 120_000;
    while (!out.includes('"msg":"intake daemon started"') && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    const started = out.split("\n").find((l) => l.includes('"msg":"intake daemon started"'));
    expect(started, out.slice(-3000)).toBeTruthy();
    const nodePid = (JSON.parse(started!) as { pid: number }).pid;

    process.kill(-npm.pid!, "SIGTERM");
    expect(await exited).toBe(0);
    const lines = out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { msg: string });
    expect(lines.filter((l) => l.msg === "shutting down")).toHaveLength(1);
    expect(lines.some((l) => l.msg === "stopped")).toBe(true);
    expect(lines.some((l) => /exiting now/.test(l.msg))).toBe(false);
    // exec: node was npm's shell itself, so nothing is left under init.
    await new Promise((r) => setTimeout(r, 500));
    expect(alive(nodePid)).toBe(false);
  }, 180_000);
});
