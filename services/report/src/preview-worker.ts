// Runs in a worker thread: renders scanned pages and reads Word files for the
// web view, so a hostile file costs this thread (stopped on a time-out), not
// the server's.
import { parentPort } from "node:worker_threads";
import { readWordDocument, renderScanPages } from "@intake/report/previews";
import { warmPdfReader } from "@intake/scan/pages";
import type { Call } from "@intake/schema";
import type { PreviewRequest, PreviewReply } from "./preview-protocol.js";

/** A PDF process kept ready for half an hour: a reviewer opening a copy should not wait for one to start. */
const warm = () => warmPdfReader({}, 30 * 60_000).catch(() => undefined);
void warm();

parentPort?.on("message", async (req: PreviewRequest) => {
  let reply: PreviewReply;
  try {
    if (req.op === "pages") {
      const pages = await renderScanPages(req.files.map((f) => ({ ...f, content: Buffer.from(f.content) })), { rotations: req.rotations, maxSide: req.maxSide });
      reply = { id: req.id, ok: true, pages: pages.map((p) => (p ? new Uint8Array(p) : null)) };
    } else {
      const doc = await readWordDocument(Buffer.from(req.content), { call: req.call as Call, fileName: req.fileName, type: req.type });
      reply = { id: req.id, ok: true, doc };
    }
  } catch (err) {
    reply = { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(reply);
  if (req.op === "pages") void warm();
});
