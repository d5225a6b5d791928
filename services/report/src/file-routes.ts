import type { FastifyInstance, FastifyReply } from "fastify";
import { contentDisposition, cropPath, imageType, isSafeRelPath, messageRef, pageRotation, readReceipts, scanPages, pageMarks, submissionFile, type ArchivedFile, type SubmissionRow } from "@intake/report";
import type { ScanFileType } from "@intake/scan";
import type { ServerContext } from "./context.js";

const SCAN_TYPES = new Set(["pdf", "jpeg", "png", "tiff", "gif", "bmp", "webp"]);

/** The scanned copy's pages for the viewer, rendered once per copy in the preview worker. */
export function warmPages(ctx: ServerContext, r: SubmissionRow): Promise<(Buffer | null)[]> {
  const rotations: Record<number, number> = {};
  for (const n of scanPages(r, pageMarks(r, ctx.labels))) {
    const rot = pageRotation(r, n);
    if (rot) rotations[n] = rot;
  }
  const load = async () => {
    const out: { name: string; type: ScanFileType; content: Buffer }[] = [];
    for (let i = 0; i < r.scan.length; i++) {
      const f = submissionFile(r, "scan", i);
      const att = r.record.attachments?.find((a) => a.name === r.scan[i]);
      if (!f || !att || !SCAN_TYPES.has(att.type)) continue;
      out.push({ name: f.name, type: att.type as ScanFileType, content: await ctx.archive.readFile(f.relPath) });
    }
    return out;
  };
  return ctx.previews.pages(`pages:${r.messageKey}:${r.index}:${JSON.stringify(rotations)}`, load, rotations);
}

/** Files of a submission: originals, evidence crops, page images, receipts; all through the archive, which refuses escapes. */
export function registerFiles(app: FastifyInstance, ctx: ServerContext): void {
  const rowOf = async (id: string) => (await ctx.cache.get()).rows.find((r) => r.id === id);
  const missing = (reply: FastifyReply, text = "没有这个文件") => reply.code(404).type("text/plain; charset=utf-8").send(text);

  const send = async (reply: FastifyReply, f: ArchivedFile | undefined) => {
    if (!f || !isSafeRelPath(f.relPath)) return missing(reply);
    let buf: Buffer;
    try {
      buf = await ctx.archive.readFile(f.relPath);
    } catch (err) {
      ctx.logger?.warn({ err, relPath: f.relPath }, "report download refused or missing");
      return missing(reply);
    }
    // Always a download, never rendered: the bytes are the sender's.
    reply.header("Content-Disposition", contentDisposition(f.name));
    return reply.type("application/octet-stream").send(buf);
  };

  app.get<{ Params: { id: string; kind: string } }>("/s/:id/:kind", async (req, reply) => {
    const row = await rowOf(req.params.id);
    const kind = req.params.kind;
    if (!row || (kind !== "word" && kind !== "eml")) return missing(reply);
    return send(reply, submissionFile(row, kind));
  });

  app.get<{ Params: { id: string; n: string } }>("/s/:id/scan/:n", async (req, reply) => {
    const row = await rowOf(req.params.id);
    const n = Number(req.params.n);
    if (!row || !Number.isInteger(n) || n < 0) return missing(reply);
    return send(reply, submissionFile(row, "scan", n));
  });

  app.get<{ Params: { id: string; n: string } }>("/s/:id/page/:n", async (req, reply) => {
    const row = await rowOf(req.params.id);
    const n = Number(req.params.n);
    if (!row || !Number.isInteger(n) || n < 1 || n > 50 || !row.scan.length) return missing(reply, "没有这一页");
    const pages = await warmPages(ctx, row);
    const img = pages[n - 1];
    if (!img) return missing(reply, "这一页无法显示为图像");
    reply.header("Cache-Control", "private, max-age=300");
    return reply.type("image/jpeg").send(img);
  });

  app.get<{ Params: { id: string; kind: string } }>("/s/:id/crop/:kind", async (req, reply) => {
    const row = await rowOf(req.params.id);
    const kind = req.params.kind;
    const p = row && (kind === "seal" || kind === "signature") ? cropPath(row, kind) : undefined;
    if (!p) return missing(reply, "没有截图");
    try {
      const buf = await ctx.archive.readFile(p);
      const type = imageType(buf);
      if (!type) return missing(reply, "没有截图");
      reply.header("Cache-Control", "private, max-age=300");
      return reply.type(type).send(buf);
    } catch {
      return missing(reply, "没有截图");
    }
  });

  app.get<{ Params: { ref: string } }>("/m/:ref/eml", async (req, reply) => {
    const data = await ctx.cache.get();
    const key = data.records.find((r) => messageRef(r.messageKey) === req.params.ref)?.messageKey ?? data.problems.find((p) => messageRef(p.messageKey) === req.params.ref)?.messageKey;
    return send(reply, key ? { relPath: `messages/${key}/message.eml`, name: `${key}.eml` } : undefined);
  });

  app.get<{ Params: { id: string; n: string } }>("/s/:id/receipt/:n", async (req, reply) => {
    const row = await rowOf(req.params.id);
    if (!row) return missing(reply, "没有回执");
    const rc = (await readReceipts(ctx.archive, row.messageKey, ctx.receiptLocator, row.reviewed.receipts.map((x) => x.ackKey)))[Number(req.params.n)];
    return send(reply, rc?.emlPath ? { relPath: rc.emlPath, name: `回执-${row.messageKey}.eml` } : undefined);
  });
}
