// The daemon's settings: a wrong or missing value stops start-up with a message naming it.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autoScanProcesses, loadSettings, settingsEnvNames } from "../packages/schema/src/settings.js";
import { REPO_ROOT } from "./support/daemon.js";

const DEFAULT = join(REPO_ROOT, "config/default.yaml");
const PASSWORDS = { INTAKE_MAILBOX_GUOYUNLONG_PASSWORD: "pw-g", INTAKE_MAILBOX_QIJIARU_PASSWORD: "pw-q" };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "intake-config-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return "no error";
}

describe("daemon settings", () => {
  it("loads the default file with passwords from the environment", () => {
    const s = loadSettings({ files: [DEFAULT], env: PASSWORDS, cwd: REPO_ROOT });
    expect(s.mailboxes.map((m) => [m.id, m.password])).toEqual([
      ["guoyunlong", "pw-g"],
      ["qijiaru", "pw-q"],
    ]);
    expect(s.call.file).toBe(join(REPO_ROOT, "config/calls/2026.yaml"));
    expect(s.markHandled).toEqual({ mode: "keyword", keyword: "$IntakeArchived" });
    expect(settingsEnvNames(["qijiaru"])).toContain("INTAKE_MAILBOX_QIJIARU_PASSWORD");
  });

  it("reads one scan per core by default, as many as the memory holds, and takes a number", () => {
    const GiB = 1024 ** 3;
    expect(autoScanProcesses(2, 24 * GiB)).toBe(2);
    expect(autoScanProcesses(8, 4 * GiB)).toBe(2);
    expect(autoScanProcesses(1, 1 * GiB)).toBe(1);
    expect(autoScanProcesses(64, 512 * GiB)).toBe(16);
    expect(loadSettings({ files: [DEFAULT], env: PASSWORDS, cwd: REPO_ROOT }).workers.scanProcesses).toBe(autoScanProcesses());
    expect(loadSettings({ files: [DEFAULT], env: { ...PASSWORDS, INTAKE_SCAN_PROCESSES: "3" }, cwd: REPO_ROOT }).workers.scanProcesses).toBe(3);
    expect(errorOf(() => loadSettings({ files: [DEFAULT], env: { ...PASSWORDS, INTAKE_SCAN_PROCESSES: "many" }, cwd: REPO_ROOT }))).toMatch(/scanProcesses/);
  });

  it("names the variable of a missing password", () => {
    const msg = errorOf(() => loadSettings({ files: [DEFAULT], env: { INTAKE_MAILBOX_GUOYUNLONG_PASSWORD: "x" }, cwd: REPO_ROOT }));
    expect(msg).toContain("mailboxes[qijiaru].password");
    expect(msg).toContain("INTAKE_MAILBOX_QIJIARU_PASSWORD");
    expect(msg).not.toContain("GUOYUNLONG_PASSWORD");
  });

  it("names the variable of a wrong value", () => {
    expect(errorOf(() => loadSettings({ files: [DEFAULT], env: { ...PASSWORDS, INTAKE_REDIS_URL: "localhost:6379" }, cwd: REPO_ROOT }))).toContain("INTAKE_REDIS_URL");
    expect(errorOf(() => loadSettings({ files: [DEFAULT], env: { ...PASSWORDS, INTAKE_POLL_INTERVAL: "soon" }, cwd: REPO_ROOT }))).toContain("INTAKE_POLL_INTERVAL");
    expect(errorOf(() => loadSettings({ files: [DEFAULT], env: { ...PASSWORDS, INTAKE_MAILBOX_QIJIARU_TLS: "maybe" }, cwd: REPO_ROOT }))).toContain("INTAKE_MAILBOX_QIJIARU_TLS");
    expect(errorOf(() => loadSettings({ files: [DEFAULT], env: { ...PASSWORDS, INTAKE_MARK_MODE: "delete" }, cwd: REPO_ROOT }))).toContain("markHandled.mode");
  });

  it("reads booleans as words, not as truthy strings", () => {
    const off = loadSettings({ files: [DEFAULT], env: { ...PASSWORDS, INTAKE_MAILBOX_QIJIARU_TLS: "false", INTAKE_SMTP_SECURE: "0" }, cwd: REPO_ROOT });
    expect(off.mailboxes.find((m) => m.id === "qijiaru")!.tls).toBe(false);
    expect(off.smtp.secure).toBe(false);
    const on = loadSettings({ files: [DEFAULT], env: { ...PASSWORDS, INTAKE_MAILBOX_QIJIARU_TLS: "true" }, cwd: REPO_ROOT });
    expect(on.mailboxes.find((m) => m.id === "qijiaru")!.tls).toBe(true);
  });

  it("reads a password file, and names it when it is missing", async () => {
    const file = join(dir, "pw.txt");
    await writeFile(file, "from-file\n");
    const s = loadSettings({ files: [DEFAULT], env: { INTAKE_MAILBOX_GUOYUNLONG_PASSWORD: "x", INTAKE_MAILBOX_QIJIARU_PASSWORD_FILE: file }, cwd: REPO_ROOT });
    expect(s.mailboxes.find((m) => m.id === "qijiaru")!.password).toBe("from-file");
    const msg = errorOf(() => loadSettings({ files: [DEFAULT], env: { INTAKE_MAILBOX_GUOYUNLONG_PASSWORD: "x", INTAKE_MAILBOX_QIJIARU_PASSWORD_FILE: join(dir, "none") }, cwd: REPO_ROOT }));
    expect(msg).toContain("INTAKE_MAILBOX_QIJIARU_PASSWORD_FILE");
  });

  it("lets a --config file override values and replace the mailbox list", async () => {
    const file = join(dir, "over.yaml");
    await writeFile(file, "mailboxes:\n  - { id: only, host: h, port: '1143', tls: 'no', user: u, password: p }\npoll: { intervalSeconds: 5 }\n");
    const s = loadSettings({ files: [DEFAULT, file], env: {}, cwd: REPO_ROOT });
    expect(s.mailboxes).toEqual([{ id: "only", host: "h", port: 1143, tls: false, user: "u", password: "p", folder: "INBOX" }]);
    expect(s.poll.intervalSeconds).toBe(5);
    expect(s.redis.url).toBe("redis://127.0.0.1:6379");
    expect(errorOf(() => loadSettings({ files: [DEFAULT, join(dir, "absent.yaml")], env: PASSWORDS, cwd: REPO_ROOT }))).toContain("absent.yaml");
  });

  it("stops `intake run` with exit code 2 and a message naming the variable", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, INTAKE_MAILBOX_GUOYUNLONG_PASSWORD: "secret-g" };
    delete env.INTAKE_MAILBOX_QIJIARU_PASSWORD;
    delete env.INTAKE_MAILBOX_QIJIARU_PASSWORD_FILE;
    const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "services/intake/src/cli.ts"), "run"], { cwd: REPO_ROOT, env });
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (out += String(d)));
    const code = await new Promise((r) => child.on("exit", r));
    expect(code).toBe(2);
    expect(out).toContain("INTAKE_MAILBOX_QIJIARU_PASSWORD");
    expect(out).not.toContain("secret-g");
  });
});
