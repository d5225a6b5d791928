import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BroadcastChannel } from "node:worker_threads";
import { IntakeError } from "@intake/schema";
import type { Logger } from "pino";
import { createWorker, OEM, type Worker } from "tesseract.js";
import { createPpOcr, type GreyImage, type PpOcr, type PpOcrOptions, type TextLine } from "./ppocr.js";
import type { Box } from "./raster.js";

export interface OcrPoolOptions {
  /** Number of tesseract workers (each one thread). Default 1. */
  size?: number;
  /** Folder holding chi_sim.traineddata.gz. Default: the @tesseract.js-data/chi_sim package's 4.0.0_best_int folder. */
  langPath?: string;
  /** Jobs a worker runs before it is replaced (bounds leaks in the wasm heap). Default 50. */
  recycleAfter?: number;
  /** Time allowed for a worker to start, in ms. Default 30000. */
  startTimeoutMs?: number;
  /** Time allowed for one recognition, in ms; the worker is replaced past it. Default 60000. */
  jobTimeoutMs?: number;
  /** PP-OCR, the engine fields are read with (started on first use). Default: one thread, no arena. */
  ppocr?: PpOcrOptions;
  logger?: Logger;
}

export interface LinesRequest {
  /** Read these boxes (one text line each) instead of detecting the lines. */
  boxes?: Box[];
  /** Longest side the image is detected at. Default 1600. */
  maxSide?: number;
}

export interface OcrRectangle {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface OcrRequest {
  /** Tesseract page segmentation mode. Default 3 (automatic), which reads forms far better than 6. */
  psm?: number;
  rectangle?: OcrRectangle;
  /** Share of a page this job is (a table cell is a small fraction), counted towards recycling. Default 1. */
  cost?: number;
}

export interface OcrPool {
  /** tesseract.js: fast, good enough to find pages and compare a cover. */
  recognize(image: Buffer, opts?: OcrRequest): Promise<{ text: string; words?: unknown[] }>;
  /** PP-OCR: the text lines of a grey image (detected, or one per box given), in its pixels. */
  readLines(img: GreyImage, req?: LinesRequest): Promise<TextLine[]>;
  close(): Promise<void>;
}

/** A word as the pool returns it in `words`: pixel box in the image given, and its line's index. */
export interface OcrWord {
  text: string;
  confidence: number;
  bbox: { x0: number; y0: number; x1: number; y1: number };
  line: number;
  /** The word's characters with their own boxes. */
  symbols?: { text: string; bbox: { x0: number; y0: number; x1: number; y1: number } }[];
}

interface Slot {
  worker: Worker | null;
  jobs: number;
  psm: string;
  busy: boolean;
}

const WORKER_PATH = fileURLToPath(new URL("./tesseract-worker.mjs", import.meta.url));
const STDERR_CHANNEL = "intake-tesseract-stderr";

/** The chi_sim model shipped inside the npm package, so nothing is fetched at run time. */
export function defaultLangPath(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve("@tesseract.js-data/chi_sim/package.json");
  return path.join(path.dirname(pkg), "4.0.0_best_int");
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** A fixed pool of tesseract.js workers, started lazily and recycled after `recycleAfter` jobs. */
export async function createOcrPool(opts: OcrPoolOptions = {}): Promise<OcrPool> {
  const size = Math.max(1, opts.size ?? 1);
  const langPath = opts.langPath ?? defaultLangPath();
  const recycleAfter = Math.max(1, opts.recycleAfter ?? 50);
  const startTimeoutMs = opts.startTimeoutMs ?? 30_000;
  const jobTimeoutMs = opts.jobTimeoutMs ?? 60_000;
  const log = opts.logger?.child({ component: "ocr-pool" });
  const slots: Slot[] = Array.from({ length: size }, () => ({ worker: null, jobs: 0, psm: "", busy: false }));
  const waiting: Array<(s: Slot) => void> = [];
  let closed = false;
  // The workers' stderr chatter, at debug level (see tesseract-worker.mjs).
  const chatter = new BroadcastChannel(STDERR_CHANNEL);
  chatter.unref();
  chatter.onmessage = (m: { data?: unknown }) => log?.debug({ stderr: String(m.data) }, "tesseract");

  async function start(): Promise<Worker> {
    const t0 = Date.now();
    const pending = createWorker("chi_sim", OEM.LSTM_ONLY, {
      langPath,
      workerPath: WORKER_PATH,
      gzip: true,
      cacheMethod: "none",
      // Only the local model; a failing load must not fall back to the CDN.
      errorHandler: (e: unknown) => log?.warn({ err: e }, "tesseract worker error"),
    });
    try {
      const w = await withTimeout(pending, startTimeoutMs, () => new IntakeError("OCR_UNAVAILABLE", `OCR worker did not start in ${startTimeoutMs} ms`));
      log?.debug({ ms: Date.now() - t0 }, "OCR worker started");
      return w;
    } catch (e) {
      // A late start must not leave a thread behind.
      pending.then((w) => w.terminate()).catch(() => undefined);
      if (e instanceof IntakeError) throw e;
      throw new IntakeError("OCR_UNAVAILABLE", undefined, { cause: e });
    }
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

  async function retire(slot: Slot): Promise<void> {
    const w = slot.worker;
    slot.worker = null;
    slot.jobs = 0;
    slot.psm = "";
    if (w) await w.terminate().catch(() => undefined);
  }

  async function recognize(image: Buffer, req: OcrRequest = {}): Promise<{ text: string; words?: unknown[] }> {
    if (closed) throw new IntakeError("OCR_UNAVAILABLE", "OCR pool is closed");
    const slot = await acquire();
    try {
      if (slot.worker && slot.jobs >= recycleAfter) await retire(slot);
      if (!slot.worker) {
        slot.worker = await start();
        // Tesseract's own diagnostics ("Estimating resolution as …") would go to stderr for every page.
        await slot.worker.setParameters({ debug_file: "/dev/null" } as never);
      }
      const w = slot.worker;
      const psm = String(req.psm ?? 3);
      if (slot.psm !== psm) {
        await w.setParameters({ tessedit_pageseg_mode: psm as never });
        slot.psm = psm;
      }
      slot.jobs += Math.max(0.01, req.cost ?? 1);
      const job = w.recognize(image, req.rectangle ? { rectangle: req.rectangle } : {}, { text: true, blocks: true });
      const r = await withTimeout(job, jobTimeoutMs, () => new IntakeError("OCR_TIMEOUT", `OCR took over ${jobTimeoutMs} ms`)).catch(async (e) => {
        await retire(slot);
        // A worker that died or timed out is our failure, not the page's: the job is retried.
        throw e instanceof IntakeError ? e : new IntakeError("OCR_FAILED", undefined, { cause: e });
      });
      const words: OcrWord[] = [];
      let line = 0;
      for (const b of r.data.blocks ?? [])
        for (const p of b.paragraphs)
          for (const l of p.lines) {
            for (const wd of l.words)
              words.push({ text: wd.text, confidence: wd.confidence, bbox: { ...wd.bbox }, line, symbols: (wd.symbols ?? []).map((s) => ({ text: s.text, bbox: { ...s.bbox } })) });
            line++;
          }
      return { text: r.data.text ?? "", words };
    } finally {
      release(slot);
    }
  }

  // One PP-OCR for the process, started on the first scan read in full (a Word-plus-scan
  // worker never loads it), its jobs one at a time so its memory stays one job's.
  let pp: Promise<PpOcr> | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  async function readLines(img: GreyImage, req: LinesRequest = {}): Promise<TextLine[]> {
    if (closed) throw new IntakeError("OCR_UNAVAILABLE", "OCR pool is closed");
    const job = queue.then(async () => {
      if (!pp) {
        const t0 = Date.now();
        pp = createPpOcr(opts.ppocr);
        pp.then(() => log?.debug({ ms: Date.now() - t0 }, "PP-OCR started")).catch(() => (pp = null));
      }
      const engine = await pp;
      const boxes = req.boxes ?? (await engine.detect(img, { maxSide: req.maxSide }));
      return engine.recognize(img, boxes);
    });
    queue = job.catch(() => undefined);
    return job;
  }

  async function close(): Promise<void> {
    closed = true;
    chatter.close();
    await Promise.all(slots.map((s) => retire(s)));
    if (pp) await (await pp.catch(() => null))?.close();
  }

  return { recognize, readLines, close };
}
