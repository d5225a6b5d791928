import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { DocModel } from "@intake/form";
import type { ScanFileType } from "@intake/scan";
import type { PreviewReply, PreviewRequest } from "./preview-protocol.js";

export interface PreviewsOptions {
  /** Time one request may take before the worker is stopped and started anew; default 20 s. */
  timeoutMs?: number;
  /** Heap of the worker; default 512 MB (images and PDF objects live there). */
  maxHeapMb?: number;
  /** Bytes of rendered pages kept; default 128 MB. */
  cacheBytes?: number;
  logger?: Logger;
}

type Pending = { resolve: (r: PreviewReply) => void; timer: NodeJS.Timeout };
type DistOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Page images and Word text for the web view, made in one worker thread with
 * a heap cap and a time-out per request, and kept in a bounded cache. A file
 * that crashes or stalls the worker gives no preview, never a stuck server.
 */
export class Previews {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly cache = new Map<string, { value: unknown; bytes: number }>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  private cached = 0;
  private readonly o: Required<Omit<PreviewsOptions, "logger">> & { logger?: Logger };

  constructor(o: PreviewsOptions = {}) {
    this.o = { timeoutMs: o.timeoutMs ?? 20_000, maxHeapMb: o.maxHeapMb ?? 512, cacheBytes: o.cacheBytes ?? 128 * 1024 * 1024, logger: o.logger };
  }

  /** All pages of one scanned copy as JPEGs (null for a page without a picture); cached under `key`. */
  pages(key: string, load: () => Promise<{ name: string; type: ScanFileType; content: Buffer }[]>, rotations: Record<number, number>): Promise<(Buffer | null)[]> {
    return this.memo(key, async () => {
      const files = await load();
      const r = await this.request({ op: "pages", files: files.map((f) => ({ ...f, content: new Uint8Array(f.content) })), rotations });
      return r.ok && r.pages ? r.pages.map((p) => (p ? Buffer.from(p) : null)) : [];
    }, (v) => v.reduce((n, p) => n + (p?.length ?? 0), 0));
  }

  /** The Word file read as tables and paragraphs; null when it cannot be read. */
  word(key: string, load: () => Promise<Buffer>, fileName: string, type: "docx" | "ole", call: unknown): Promise<DocModel | null> {
    return this.memo(key, async () => {
      const r = await this.request({ op: "word", content: new Uint8Array(await load()), fileName, type, call });
      return r.ok && r.doc ? r.doc : null;
    }, (v) => (v ? JSON.stringify(v).length : 16));
  }

  /** Starts the worker ahead of the first request (it takes a second to load its code). */
  start(): void {
    this.worker ??= this.spawn();
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }

  private async memo<T>(key: string, make: () => Promise<T>, size: (v: T) => number): Promise<T> {
    const hit = this.cache.get(key);
    if (hit) {
      // Most recently used last: Map order is the eviction order.
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.value as T;
    }
    const running = this.inflight.get(key);
    if (running) return running as Promise<T>;
    const p = make().then((v) => {
      const bytes = size(v);
      this.cache.set(key, { value: v, bytes });
      this.cached += bytes;
      for (const [k, e] of this.cache) {
        if (this.cached <= this.o.cacheBytes) break;
        this.cache.delete(k);
        this.cached -= e.bytes;
      }
      return v;
    }).finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  private spawn(): Worker {
    const w = new Worker(new URL("./preview-worker-boot.mjs", import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: this.o.maxHeapMb } });
    w.on("message", (r: PreviewReply) => {
      const p = this.pending.get(r.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(r.id);
      p.resolve(r);
    });
    const fail = (why: string) => {
      if (this.worker === w) this.worker = undefined;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.resolve({ id, ok: false, error: why });
      }
      this.pending.clear();
    };
    w.on("error", (err) => {
      this.o.logger?.warn({ err }, "preview worker failed");
      fail(err.message);
    });
    w.on("exit", () => fail("preview worker stopped"));
    w.unref();
    return w;
  }

  private request(req: DistOmit<PreviewRequest, "id">): Promise<PreviewReply> {
    this.worker ??= this.spawn();
    const w = this.worker;
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.o.logger?.warn({ op: req.op, timeoutMs: this.o.timeoutMs }, "preview took too long; worker restarted");
        this.pending.delete(id);
        resolve({ id, ok: false, error: "timeout" });
        if (this.worker === w) this.worker = undefined;
        void w.terminate();
      }, this.o.timeoutMs);
      this.pending.set(id, { resolve, timer });
      w.postMessage({ ...req, id } as PreviewRequest);
    });
  }
}
