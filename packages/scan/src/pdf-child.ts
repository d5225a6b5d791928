// A PDF process: opens one PDF for its parent and answers for its pages
// (listing, page images, the text layer) over IPC. Its parent watches its
// CPU time and memory and kills it past the caps, so a hostile PDF costs a
// bounded amount and never stalls the process reading the other emails.
import { openPdf, type PdfSource } from "./pdf-source.js";
import type { PdfReply, PdfRequest } from "./pdf-isolated.js";

let data: Buffer | null = null;
let source: PdfSource | null = null;

async function answer(req: PdfRequest): Promise<unknown> {
  if (req.op === "open") {
    data = Buffer.from(req.data);
    const { problem, source: src } = await openPdf(data);
    source = src;
    if (problem || !src) return { problem: problem ?? { kind: "unreadable", detail: "PDF cannot be read" }, pageCount: 0, fonts: [], activeContent: [] };
    const { pageCount, activeContent } = src;
    if (pageCount > req.maxPages) return { problem: null, pageCount, fonts: [], activeContent };
    return { problem: null, pageCount, fonts: Array.from({ length: pageCount }, (_, i) => src.pageHasFonts(i)), activeContent };
  }
  if (!data || !source) throw new Error("no PDF open");
  if (req.op === "image") return (await source.pageImage(req.index, req.maxPixels)) ?? null;
  // pdf.js loads only when a text layer is asked for.
  const { pdfTextLayer } = await import("./pdf-text.js");
  return [...(await pdfTextLayer(data, req.pages)).entries()];
}

function send(reply: PdfReply): void {
  process.send?.(reply);
}

// Libraries' console chatter about broken objects is noise here; what matters goes back over IPC.
for (const k of ["log", "info", "warn", "debug"] as const) console[k] = () => undefined;
process.on("disconnect", () => process.exit(0));
process.on("message", (req: PdfRequest) => {
  answer(req).then(
    (value) => send({ id: req.id, ok: true, value }),
    (err: unknown) => send({ id: req.id, ok: false, error: String((err as Error)?.message ?? err).slice(0, 300) }),
  );
});
send({ id: 0, ok: true, value: null });
