import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { IntakeError } from "@intake/schema";
import type { PdfPageImage, PdfProblem } from "./pdf-source.js";

/**
 * Bounds on each PDF step (opening and listing, one page's image, the text
 * layer of a page), which runs in a child process killed past them. CPU time
 * is counted, not the wall clock, so a loaded machine reads what an idle one
 * reads; a step that needs more is the file's doing.
 */
export interface PdfCaps {
  /** CPU seconds one step may use. */
  cpuSeconds: number;
  /** CPU seconds all the steps of the PDF may use together. */
  totalCpuSeconds: number;
  /** Resident memory of the PDF process, in MB. */
  memoryMb: number;
  /** A PDF with more pages than this is not listed. */
  maxPages: number;
}

export type PdfStep =
  | { op: "open"; data: Uint8Array; maxPages: number; maxPixels: number }
  | { op: "image"; index: number; maxPixels: number }
  | { op: "text"; page: number }
  | { op: "render"; page: number; maxSide: number }
  | { op: "reset" };
export type PdfRequest = PdfStep & { id: number };

export interface PdfReply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** A PDF step went past its CPU or memory cap and was stopped: the file asks for more than any form needs. */
export class PdfCapExceeded extends IntakeError {
  constructor(
    readonly resource: "cpu" | "total-cpu" | "memory",
    readonly step: PdfRequest["op"],
    detail: string,
  ) {
    super("LIMIT_EXCEEDED", detail);
  }
}

const ENTRY = fileURLToPath(new URL("./pdf-child.ts", import.meta.url));
const REGISTER = new URL("./pdf-child-register.mjs", import.meta.url).href;
const POLL_MS = 100;
/** /proc reports CPU time in clock ticks; Linux uses 100 a second on every platform Node runs on. */
const TICKS_PER_SECOND = 100;
/** A step that uses no CPU for this long is stuck (our failure, not the file's). */
const STALL_MS = 120_000;

/**
 * Node options of a PDF process: our own TypeScript loader instead of the
 * parent's (see pdf-child-loader.mjs), and the heap kept below the process
 * cap so that most overruns end as a clean out-of-memory exit.
 */
function execArgv(memoryMb: number): string[] {
  return ["--import", REGISTER, `--max-old-space-size=${Math.max(64, Math.round(memoryMb * 0.75))}`];
}

/** CPU milliseconds and resident MB of a process, from /proc; null where there is no /proc. */
function usage(pid: number): { cpuMs: number; rssMb: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    const rss = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "latin1"));
    return { cpuMs, rssMb: rss ? Number(rss[1]) / 1024 : 0 };
  } catch {
    return null;
  }
}

/** A PDF process is used for this many files, then ends: whatever a file left behind ends with it. */
const USES_PER_PROCESS = 25;
/** Idle PDF processes kept ready, and how long one waits before it ends (see keepPdfProcessesFor). */
const IDLE_PROCESSES = 2;
let idleMs = 60_000;

interface Started {
  child: ChildProcess;
  /** Resident MB when it was ready: what a fresh process holds before any file. */
  readyRssMb: number;
}

interface Spare extends Started {
  memoryMb: number;
  uses: number;
  timer: NodeJS.Timeout;
  onExit: () => void;
  /** Settles once the process has forgotten its last file: true, or false when it could not (then it is ended). */
  reset: Promise<boolean>;
}

/**
 * PDF processes that read a file cleanly, ready for the next one. Starting
 * a process costs half a CPU second (Node, the loader, pdf-lib), more than
 * reading most scanned copies; a process that went past a cap, failed or
 * grew is never kept, and each ends after USES_PER_PROCESS files.
 */
const spares: Spare[] = [];

function takeSpare(memoryMb: number): Spare | undefined {
  for (;;) {
    const i = spares.findIndex((s) => s.memoryMb === memoryMb);
    if (i < 0) return undefined;
    const [s] = spares.splice(i, 1);
    clearTimeout(s!.timer);
    s!.child.off("exit", s!.onExit);
    if (s!.child.exitCode === null && s!.child.signalCode === null && s!.child.connected) return s;
  }
}

function keepSpare({ child, readyRssMb }: Started, memoryMb: number, uses: number, reset: Promise<boolean> = Promise.resolve(true)): void {
  if (spares.length >= IDLE_PROCESSES) spares.shift()?.child.kill("SIGKILL");
  const spare: Spare = { child, readyRssMb, memoryMb, uses, reset, timer: setTimeout(() => drop(spare), idleMs), onExit: () => drop(spare) };
  spare.timer.unref();
  child.once("exit", spare.onExit);
  spares.push(spare);
}

function drop(spare: Spare): void {
  const i = spares.indexOf(spare);
  if (i >= 0) spares.splice(i, 1);
  clearTimeout(spare.timer);
  if (spare.child.exitCode === null && spare.child.signalCode === null) spare.child.kill("SIGKILL");
}

/**
 * How long an idle PDF process waits for the next file. A server that
 * answers people (the report's page viewer) keeps one longer than the
 * pipeline, whose files come in runs.
 */
export function keepPdfProcessesFor(ms: number): void {
  idleMs = ms;
}

/** Starts a PDF process ahead of the first file, so that the first reader does not wait for it. */
export async function warmPdfProcess(memoryMb: number): Promise<void> {
  if (spares.some((s) => s.memoryMb === memoryMb)) return;
  keepSpare(await startChild(memoryMb), memoryMb, 0);
}

function startChild(memoryMb: number): Promise<Started> {
  const child = fork(ENTRY, [], { execArgv: execArgv(memoryMb), stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "advanced" });
  // A process its owner forgot must not keep this one alive: the channel is held only while a step runs.
  child.unref();
  return new Promise((resolve, reject) => {
    const onReady = (m: PdfReply) => {
      if (m.id !== 0) return;
      child.off("message", onReady);
      child.channel?.unref();
      resolve({ child, readyRssMb: usage(child.pid!)?.rssMb ?? 0 });
    };
    child.on("message", onReady);
    child.once("error", (err) => reject(new IntakeError("PDF_WORKER_FAILED", `PDF process could not start: ${err.message}`)));
    child.once("exit", (code, signal) => reject(new IntakeError("PDF_WORKER_FAILED", `PDF process exited before it was ready (${signal ?? code})`)));
  });
}

/** One PDF open in a process of its own (a fresh one, or one that read earlier files cleanly and was reset). */
export class PdfSession {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private dead: Error | null = null;
  private busy = 0;
  private uses = 0;
  private readyRssMb = 0;
  /** The process's CPU time when this file was given to it: the caps count this file's steps only. */
  private baseCpuMs = 0;
  /**
   * Resident MB an earlier file left (freed, not yet given back to the
   * system): not counted against this file, so that a file is judged by the
   * memory it needs, whichever process reads it.
   */
  private leftMb = 0;

  private constructor(private readonly caps: PdfCaps) {}

  /** Opens a PDF: its problem (refused, unreadable), or its page count, which pages carry fonts and its active content. */
  static async open(data: Buffer, caps: PdfCaps, maxPixels: number): Promise<{ session: PdfSession; problem: PdfProblem; pageCount: number; fonts: boolean[]; activeContent: string[] }> {
    const session = new PdfSession(caps);
    await session.start();
    const r = (await session.ask({ op: "open", data, maxPages: caps.maxPages, maxPixels })) as { problem: PdfProblem; pageCount: number; fonts: boolean[]; activeContent: string[] };
    return { session, ...r };
  }

  /** The page's largest image as stored (see PdfSource.pageImage). */
  async image(index: number, maxPixels: number): Promise<PdfPageImage | null | "too-big" | "other-codec"> {
    const img = (await this.ask({ op: "image", index, maxPixels })) as PdfPageImage | null | "too-big" | "other-codec";
    return img && typeof img === "object" ? { ...img, bytes: Buffer.from(img.bytes) } : img;
  }

  /** A page's text layer by pdf.js (1-based), CMaps applied, and whether it is mojibake. */
  text(page: number): Promise<{ text: string; garbled: boolean }> {
    return this.ask({ op: "text", page }) as Promise<{ text: string; garbled: boolean }>;
  }

  /** A page as pdf.js draws it (1-based), at most `maxSide` pixels long, 8-bit RGB. */
  async render(page: number, maxSide: number): Promise<{ data: Buffer; width: number; height: number }> {
    const r = (await this.ask({ op: "render", page, maxSide })) as { data: Uint8Array; width: number; height: number };
    return { ...r, data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength) };
  }

  /** The process reading this PDF (for the logs, and to see which files shared one). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** A step was stopped or the process died: nothing more can be asked of this PDF. */
  get broken(): Error | null {
    return this.dead;
  }

  /**
   * Ends the session. A process that read this file without trouble is reset
   * and kept for the next file; any other is killed.
   */
  close(): void {
    const c = this.child;
    this.child = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const clean = !this.dead && this.busy === 0 && this.uses < USES_PER_PROCESS && c.connected;
    const rss = clean ? usage(c.pid!)?.rssMb : undefined;
    // One that grew by half its cap gives that memory back by ending.
    if (!clean || rss === undefined || rss - this.readyRssMb > this.caps.memoryMb / 2) {
      c.kill("SIGKILL");
      return;
    }
    const { uses, readyRssMb } = this;
    const memoryMb = this.caps.memoryMb;
    // The reset is one more step. The process is offered at once, and the next file waits for the
    // reset's answer (milliseconds); a process that does not answer in time is ended.
    const reset = new Promise<boolean>((resolve) => {
      const onReply = (m: PdfReply) => {
        if (m.id !== -1) return;
        c.off("message", onReply);
        clearTimeout(timer);
        c.channel?.unref();
        if (!m.ok) c.kill("SIGKILL");
        resolve(m.ok);
      };
      const timer = setTimeout(() => {
        c.off("message", onReply);
        c.kill("SIGKILL");
        resolve(false);
      }, 15_000);
      timer.unref();
      c.on("message", onReply);
    });
    keepSpare({ child: c, readyRssMb }, memoryMb, uses, reset);
    c.send({ id: -1, op: "reset" } satisfies PdfRequest);
  }

  private async start(): Promise<void> {
    let started: Started;
    try {
      const spare = takeSpare(this.caps.memoryMb);
      started = spare && (await spare.reset) && spare.child.connected ? spare : await startChild(this.caps.memoryMb);
    } catch (e) {
      throw this.fail(e as Error);
    }
    this.child = started.child;
    this.readyRssMb = started.readyRssMb;
    this.uses = ((started as Partial<Spare>).uses ?? 0) + 1;
    const now = usage(started.child.pid!);
    this.baseCpuMs = now?.cpuMs ?? 0;
    this.leftMb = Math.max(0, (now?.rssMb ?? 0) - started.readyRssMb);
  }

  private fail(e: Error): Error {
    this.dead ??= e;
    this.close();
    return this.dead;
  }

  private ask(body: PdfStep): Promise<unknown> {
    const child = this.child;
    if (this.dead || !child) return Promise.reject(this.dead ?? new IntakeError("PDF_WORKER_FAILED", "PDF process is closed"));
    const id = this.nextId++;
    const step = body.op;
    const caps = this.caps;
    this.busy++;
    return new Promise((resolve, reject) => {
      const start = usage(child.pid!);
      const startedAt = performance.now();
      let lastCpu = start?.cpuMs ?? 0;
      let lastBusy = startedAt;
      const finish = (f: () => void) => {
        clearInterval(timer);
        this.busy--;
        child.off("message", onMessage);
        child.off("exit", onExit);
        child.channel?.unref();
        f();
      };
      const timer = setInterval(() => {
        const u = usage(child.pid!);
        const now = performance.now();
        // Without /proc the wall clock stands in for CPU time.
        const cpuMs = u ? u.cpuMs - (start?.cpuMs ?? 0) : now - startedAt;
        if (u) {
          if (u.cpuMs > lastCpu) {
            lastCpu = u.cpuMs;
            lastBusy = now;
          }
        }
        if (cpuMs > caps.cpuSeconds * 1000) {
          finish(() => reject(this.fail(new PdfCapExceeded("cpu", step, `PDF ${step} used over ${caps.cpuSeconds} s of CPU time`))));
        } else if (u && u.cpuMs - this.baseCpuMs > caps.totalCpuSeconds * 1000) {
          finish(() => reject(this.fail(new PdfCapExceeded("total-cpu", step, `PDF steps used over ${caps.totalCpuSeconds} s of CPU time together`))));
        } else if (u && u.rssMb - this.leftMb > caps.memoryMb) {
          finish(() => reject(this.fail(new PdfCapExceeded("memory", step, `PDF ${step} grew past ${caps.memoryMb} MB`))));
        } else if (now - lastBusy > STALL_MS) {
          finish(() => reject(this.fail(new IntakeError("PDF_WORKER_FAILED", `PDF process stalled in ${step}`))));
        }
      }, POLL_MS);
      const onMessage = (m: PdfReply) => {
        if (m.id !== id) return;
        finish(() => (m.ok ? resolve(m.value) : reject(new Error(m.error ?? "PDF step failed"))));
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        // V8 aborts when the heap cap is reached: the file's doing, like any other overrun.
        const oom = signal === "SIGABRT" || code === 134;
        finish(() =>
          reject(this.fail(oom ? new PdfCapExceeded("memory", step, `PDF ${step} ran out of its ${caps.memoryMb} MB`) : new IntakeError("PDF_WORKER_FAILED", `PDF process exited (${signal ?? code}) in ${step}`))),
        );
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
      // Held while a step runs, so that the caller's process waits for the answer.
      child.channel?.ref();
      const req: PdfRequest = { id, ...body };
      child.send(req);
    });
  }
}
