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
  | { op: "render"; page: number; maxSide: number };
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

/** One PDF open in its own process. */
export class PdfSession {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private dead: Error | null = null;

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

  /** A step was stopped or the process died: nothing more can be asked of this PDF. */
  get broken(): Error | null {
    return this.dead;
  }

  close(): void {
    const c = this.child;
    this.child = null;
    if (c && c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  }

  private start(): Promise<void> {
    const child = fork(ENTRY, [], { execArgv: execArgv(this.caps.memoryMb), stdio: ["ignore", "ignore", "inherit", "ipc"], serialization: "advanced" });
    this.child = child;
    // A session its owner forgot must not keep this process alive: the channel is held only while a step runs.
    child.unref();
    return new Promise((resolve, reject) => {
      const onReady = (m: PdfReply) => {
        if (m.id !== 0) return;
        child.off("message", onReady);
        child.channel?.unref();
        resolve();
      };
      child.on("message", onReady);
      child.once("error", (err) => reject(this.fail(new IntakeError("PDF_WORKER_FAILED", `PDF process could not start: ${err.message}`))));
      child.once("exit", (code, signal) => reject(this.fail(new IntakeError("PDF_WORKER_FAILED", `PDF process exited before it was ready (${signal ?? code})`))));
    });
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
    return new Promise((resolve, reject) => {
      const start = usage(child.pid!);
      const startedAt = performance.now();
      let lastCpu = start?.cpuMs ?? 0;
      let lastBusy = startedAt;
      const finish = (f: () => void) => {
        clearInterval(timer);
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
        } else if (u && u.cpuMs > caps.totalCpuSeconds * 1000) {
          finish(() => reject(this.fail(new PdfCapExceeded("total-cpu", step, `PDF steps used over ${caps.totalCpuSeconds} s of CPU time together`))));
        } else if (u && u.rssMb > caps.memoryMb) {
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
