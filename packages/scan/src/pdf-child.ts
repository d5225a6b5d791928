// A PDF process: opens one PDF at a time for its parent and answers for its pages
// (listing, the stored page images, pdf.js's text layer and drawing) over
// IPC. Its parent watches its CPU time and memory and kills it past the
// caps, so a hostile PDF costs a bounded amount and never stalls the process
// reading the other emails.
import { openPdf, type PdfSource } from "./pdf-source.js";
import type { PdfJsDocument } from "./pdfjs.js";
import type { PdfReply, PdfRequest } from "./pdf-isolated.js";
import { pdfNestingDepth } from "./pdf-structure.js";

/** Nesting of arrays and dictionaries past which a PDF is refused (real ones nest a few levels). */
const MAX_NESTING = 500;

let data: Buffer | null = null;
let source: PdfSource | null = null;
let maxPixels = 0;
let js: Promise<PdfJsDocument> | null = null;

/** pdf.js loads only when a page needs it (a text layer, a codec pdf-lib's shortcut does not cover). */
function pdfjs(): Promise<PdfJsDocument> {
  js ??= import("./pdfjs.js").then((m) => m.openPdfJs(data!, maxPixels));
  return js;
}

async function answer(req: PdfRequest): Promise<unknown> {
  // The file is done with: forget it, so that the process can take the next one.
  if (req.op === "reset") {
    const doc = js;
    data = null;
    source = null;
    js = null;
    if (doc) await (await doc.catch(() => null))?.close();
    return null;
  }
  if (req.op === "open") {
    if (data) throw new Error("a PDF is already open");
    data = Buffer.from(req.data);
    maxPixels = req.maxPixels;
    const depth = pdfNestingDepth(data);
    if (depth > MAX_NESTING) {
      return { problem: { kind: "unreadable", reason: "too-complex", detail: `PDF objects nested ${depth} deep` }, pageCount: 0, fonts: [], activeContent: [] };
    }
    const { problem, source: src } = await openPdf(data);
    source = src;
    if (problem || !src) return { problem, pageCount: 0, fonts: [], activeContent: [] };
    const { pageCount, activeContent } = src;
    if (pageCount > req.maxPages) return { problem: null, pageCount, fonts: [], activeContent };
    return { problem: null, pageCount, fonts: Array.from({ length: pageCount }, (_, i) => src.pageHasFonts(i)), activeContent };
  }
  if (!data || !source) throw new Error("no PDF open");
  if (req.op === "image") return source.pageImage(req.index, req.maxPixels) ?? null;
  if (req.op === "text") return (await pdfjs()).text(req.page);
  return (await pdfjs()).render(req.page, req.maxSide);
}

function send(reply: PdfReply): void {
  // The parent may be gone (it ended while this process started or worked): so is the reason to go on.
  process.send?.(reply, undefined, undefined, (err) => {
    if (err) process.exit(0);
  });
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
