// A scan process: reads scanned copies for its parent over IPC, so that the
// image work (decoding, deskew, seal and signature search, form regions) and
// OCR never run on the event loop of a process that sends receipts or holds
// job locks. Exits when its parent goes away.
import { readFileSync } from "node:fs";
import { setPriority } from "node:os";
import { Archive } from "@intake/archive";
import { createLogger } from "@intake/logger";
import { messageLogger } from "./message-logger.js";
import { scanStep } from "./steps.js";
import type { ScanReply, ScanRequest } from "./scan-processes.js";

const root = process.env.INTAKE_SCAN_ARCHIVE;
if (!root || !process.send) {
  console.error("scan process: started without an archive or an IPC channel");
  process.exit(2);
}
const logger = createLogger({ level: process.env.INTAKE_SCAN_LOG_LEVEL ?? "info", name: process.env.INTAKE_SCAN_LOG_NAME ?? "intake" }).child({ component: "scan-process" });
const archive = new Archive({ root, logger });
// The OCR model loads on the first scan, then stays warm for the next ones.
let ocr: Promise<import("@intake/scan").OcrPool> | null = null;
const ocrPool = () => (ocr ??= import("@intake/scan").then((s) => s.createOcrPool({ logger })));

// OCR keeps every core busy; at a lower priority it never delays the parent's polling, job locks and receipts.
try {
  setPriority(10);
} catch {
  // Not allowed here (some containers): the work is still off the parent's event loop.
}
process.on("disconnect", () => process.exit(0));
// A stop signal to the process group is for the parent: it finishes or hands back its jobs, then lets this go.
process.on("SIGTERM", () => undefined);
process.on("SIGINT", () => undefined);
process.on("message", (req: ScanRequest) => {
  const log = messageLogger(logger, req.messageKey).child({ scanGroup: req.group, ...(req.jobId ? { jobId: req.jobId } : {}) });
  const t0 = Date.now();
  const cpu0 = cpuSeconds();
  ocrPool()
    .then((pool) => scanStep(req.messageKey, req.group, { archive, logger: log, ocr: pool }))
    .then(
      () => {
        // What this scan cost, for capacity planning (one scan at a time per process, so it is this scan's alone).
        const cpu = cpuSeconds();
        if (cpu !== null && cpu0 !== null) log.info({ cpuSeconds: Math.round((cpu - cpu0) * 100) / 100, ms: Date.now() - t0 }, "scan read");
        send({ id: req.id, ok: true });
      },
      (err: unknown) => {
        const e = err as { message?: string; code?: unknown; permanent?: unknown };
        send({ id: req.id, ok: false, error: { message: e?.message ?? String(err), ...(typeof e?.code === "string" ? { code: e.code } : {}), permanent: e?.permanent === true } });
      },
    );
});
send({ id: 0, ok: true });

/** CPU seconds of this process and of the PDF processes it started and reaped (its OCR threads included); null without /proc. */
function cpuSeconds(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "latin1");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return null;
  }
}

function send(reply: ScanReply): void {
  process.send?.(reply);
}
