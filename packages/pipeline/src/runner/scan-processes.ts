import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Logger } from "pino";
import { ERROR_CODES, IntakeError, type ErrorCode } from "@intake/schema";

/** Where scanned copies are read: here, in child processes. */
export interface ScanExecutor {
  /** Reads one scan group of an archived message and saves its stage; rejects as the step would. */
  scan(messageKey: string, group: string, ctx?: { jobId?: string }): Promise<void>;
  /** Scans read at once. */
  readonly size: number;
  close(): Promise<void>;
}

export interface ScanRequest {
  id: number;
  messageKey: string;
  group: string;
  jobId?: string;
}

export interface ScanReply {
  id: number;
  ok: boolean;
  error?: { message: string; code?: string; permanent: boolean };
}

export interface ScanProcessesOptions {
  /** The archive root (the processes open it themselves). */
  archiveRoot: string;
  /** Processes, i.e. scans read at once; default 1. */
  size?: number;
  /** Longest one scan may take before its process is killed, in ms; default 600 000. */
  timeoutMs?: number;
  /** V8 heap limit of each process in MB (OCR's wasm heap comes on top); default 1536. */
  maxOldSpaceMb?: number;
  /** Log level and name for the processes' own JSON lines (on this process's stdout); default "info", "intake". */
  logLevel?: string;
  logName?: string;
  logger: Logger;
}

interface Slot {
  child: ChildProcess | null;
  ready: Promise<void> | null;
  busy: boolean;
  pending: Map<number, { resolve: () => void; reject: (e: Error) => void }>;
}

const ENTRY = new URL("./scan-process-main.ts", import.meta.url);

/** Node options for a child: this process's own, minus the debugger, plus a TypeScript loader when this one was given none (tests). */
function childExecArgv(maxOldSpaceMb: number): string[] {
  const own = process.execArgv.filter((a) => !a.startsWith("--inspect") && !a.startsWith("--max-old-space-size"));
  const hasLoader = own.some((a) => a.includes("tsx"));
  const loader = hasLoader ? [] : ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href];
  return [...own, ...loader, `--max-old-space-size=${maxOldSpaceMb}`];
}

function rebuild(e: NonNullable<ScanReply["error"]>): Error {
  if (e.code && e.code in ERROR_CODES) return new IntakeError(e.code as ErrorCode, e.message);
  return new Error(e.message);
}

/**
 * A fixed set of child processes that read scanned copies. Each keeps its OCR
 * model warm between scans. A process that dies or hangs fails only the scan
 * it held (SCAN_CRASHED, retried by the job) and is started again for the
 * next one; the processes exit with their parent.
 */
export function createScanProcesses(opts: ScanProcessesOptions): ScanExecutor {
  const size = Math.max(1, opts.size ?? 1);
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const execArgv = childExecArgv(opts.maxOldSpaceMb ?? 1536);
  const log = opts.logger.child({ component: "scan-processes" });
  const slots: Slot[] = Array.from({ length: size }, () => ({ child: null, ready: null, busy: false, pending: new Map() }));
  const waiting: Array<(s: Slot) => void> = [];
  let nextId = 1;
  let closed = false;

  function start(slot: Slot): Promise<void> {
    const child = fork(fileURLToPath(ENTRY), [], {
      execArgv,
      env: { ...process.env, INTAKE_SCAN_ARCHIVE: opts.archiveRoot, INTAKE_SCAN_LOG_LEVEL: opts.logLevel ?? "info", INTAKE_SCAN_LOG_NAME: opts.logName ?? "intake" },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      serialization: "advanced",
    });
    slot.child = child;
    const ready = new Promise<void>((resolve, reject) => {
      const onFirst = (m: ScanReply) => {
        if (m.id === 0) {
          child.off("message", onFirst);
          resolve();
        }
      };
      child.on("message", onFirst);
      child.once("exit", (code, signal) => reject(new IntakeError("SCAN_CRASHED", `scan process exited before it was ready (${signal ?? code})`)));
    });
    child.on("message", (m: ScanReply) => {
      if (m.id === 0) return;
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (m.ok) p.resolve();
      else p.reject(rebuild(m.error ?? { message: "scan failed", permanent: false }));
    });
    child.on("exit", (code, signal) => {
      if (slot.child === child) {
        slot.child = null;
        slot.ready = null;
      }
      for (const [, p] of slot.pending) p.reject(new IntakeError("SCAN_CRASHED", `scan process exited (${signal ?? code}) while reading`));
      slot.pending.clear();
      if (!closed && (signal || code)) log.warn({ code, signal }, "scan process exited; a new one starts with the next scan");
    });
    child.on("error", (err) => log.warn({ err }, "scan process error"));
    slot.ready = ready;
    return ready;
  }

  function acquire(): Promise<Slot> {
    const free = slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => waiting.push(resolve));
  }

  function release(slot: Slot): void {
    const next = waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  return {
    size,
    async scan(messageKey, group, ctx = {}) {
      if (closed) throw new IntakeError("SCAN_CRASHED", "scan processes are closed");
      const slot = await acquire();
      try {
        if (!slot.child || !slot.ready) await start(slot);
        else await slot.ready;
        const child = slot.child!;
        const id = nextId++;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new IntakeError("SCAN_CRASHED", `scan took over ${timeoutMs} ms; its process was stopped`));
          }, timeoutMs);
          const done = (f: () => void) => () => {
            clearTimeout(timer);
            f();
          };
          slot.pending.set(id, { resolve: done(resolve), reject: (e) => done(() => reject(e))() });
          const req: ScanRequest = { id, messageKey, group, ...(ctx.jobId ? { jobId: ctx.jobId } : {}) };
          child.send(req);
        });
      } finally {
        release(slot);
      }
    },
    async close() {
      closed = true;
      await Promise.all(
        slots.map(async (s) => {
          const c = s.child;
          if (!c || c.exitCode !== null || c.signalCode !== null) return;
          const exited = new Promise((r) => c.once("exit", r));
          c.disconnect();
          const t = setTimeout(() => c.kill("SIGKILL"), 5_000);
          await exited;
          clearTimeout(t);
        }),
      );
    },
  };
}
