// Runs `intake run` as a real child process and reads its JSON log lines.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

export interface DaemonProcess {
  child: ChildProcess;
  lines: LogLine[];
  /** Everything the process wrote, stdout and stderr. */
  output(): string;
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Starts `intake run --config <file> [--roles …]` with extra environment variables. */
export function startDaemon(configFile: string, opts: { roles?: string; env?: Record<string, string> } = {}): DaemonProcess {
  const args = ["--import", "tsx", join(REPO_ROOT, "services/intake/src/cli.ts"), "run", "--config", configFile];
  if (opts.roles) args.push("--roles", opts.roles);
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
  const lines: LogLine[] = [];
  let text = "";
  let buf = "";
  const waiters: { pred: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  child.stdout!.on("data", (d: Buffer) => {
    text += d.toString();
    buf += d.toString();
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const raw = buf.slice(0, i);
      buf = buf.slice(i + 1);
      let line: LogLine;
      try {
        line = JSON.parse(raw) as LogLine;
      } catch {
        continue;
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pred(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr!.on("data", (d: Buffer) => {
    text += d.toString();
  });
  const exited = new Promise<number | string>((res) => child.on("exit", (code, signal) => res(code ?? signal ?? -1)));
  return {
    child,
    lines,
    output: () => text,
    exited,
    waitForLog(pred, timeoutMs = 150_000) {
      const hit = lines.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((res, rej) => {
        const w = { pred, resolve: (l: LogLine) => (clearTimeout(t), res(l)) };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          rej(new Error(`log line not seen in ${timeoutMs} ms; output:\n${text.slice(-4000)}`));
        }, timeoutMs);
        waiters.push(w);
        void exited.then(() => {
          if (waiters.includes(w)) {
            clearTimeout(t);
            waiters.splice(waiters.indexOf(w), 1);
            rej(new Error(`daemon exited before the log line; output:\n${text.slice(-4000)}`));
          }
        });
      });
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface TestMailbox {
  id: string;
  user: string;
  password: string;
  host: string;
  port: number;
}

/** Writes a daemon config for these mailboxes under a fresh temp folder; returns its paths. */
export async function writeDaemonConfig(
  mailboxes: TestMailbox[],
  opts: { prefix: string; redisUrl?: string; extra?: string },
): Promise<{ dir: string; configFile: string; archiveDir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "intake-daemon-"));
  const archiveDir = join(dir, "archive");
  const yaml = [
    "mailboxes:",
    ...mailboxes.map(
      (m) => `  - { id: ${m.id}, host: "${m.host}", port: ${m.port}, tls: "false", user: "${m.user}", password: "${m.password}" }`,
    ),
    `redis: { url: "${opts.redisUrl ?? REDIS_URL}", prefix: "${opts.prefix}" }`,
    `archive: { dir: "${archiveDir}" }`,
    "poll: { intervalSeconds: 2 }",
    "shutdown: { timeoutSeconds: 10 }",
    'ops: { host: "127.0.0.1", port: 0 }',
    opts.extra ?? "",
  ].join("\n");
  const configFile = join(dir, "config.yaml");
  await writeFile(configFile, yaml);
  return { dir, configFile, archiveDir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Polls `check` until it returns a truthy value. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 60_000, context?: DaemonProcess): Promise<NonNullable<T>> {
  const stepMs = 250;
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) {
      const out = context ? `\ndaemon output:\n${context.output().slice(-4000)}` : "";
      throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ""}${out}`);
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
