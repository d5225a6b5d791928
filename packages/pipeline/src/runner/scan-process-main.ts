// A scan process: reads scanned copies for its parent over IPC, so that the
// image work (decoding, deskew, seal and signature search, form regions) and
// OCR never run on the event loop of a process that sends receipts or holds
// job locks. Exits when its parent goes away.
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
  ocrPool()
    .then((pool) => scanStep(req.messageKey, req.group, { archive, logger: log, ocr: pool }))
    .then(
      () => send({ id: req.id, ok: true }),
      (err: unknown) => {
        const e = err as { message?: string; code?: unknown; permanent?: unknown };
        send({ id: req.id, ok: false, error: { message: e?.message ?? String(err), ...(typeof e?.code === "string" ? { code: e.code } : {}), permanent: e?.permanent === true } });
      },
    );
});
send({ id: 0, ok: true });

function send(reply: ScanReply): void {
  process.send?.(reply);
}
