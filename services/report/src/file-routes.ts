import type { FastifyInstance, FastifyReply } from "fastify";
import { contentDisposition, cropPath, imageType, isSafeRelPath, messageRef, readReceipts, submissionFile, type ArchivedFile } from "@intake/report";
import type { ServerContext } from "./context.js";

/** Files of a submission: originals, evidence crops, receipts; all through the archive, which refuses escapes. */
export function registerFiles(app: FastifyInstance, ctx: ServerContext): void {
  const rowOf = async (id: string) => (await ctx.cache.get()).rows.find((r) => r.id === id);

  const send = async (reply: FastifyReply, f: ArchivedFile | undefined) => {
    if (!f || !isSafeRelPath(f.relPath)) return reply.code(404).type("text/plain; charset=utf-8").send("没有这个文件");
    let buf: Buffer;
    try {
      buf = await ctx.archive.readFile(f.relPath);
    } catch (err) {
      ctx.logger?.warn({ err, relPath: f.relPath }, "report download refused or missing");
      return reply.code(404).type("text/plain; charset=utf-8").send("没有这个文件");
    }
    // Always a download, never rendered: the bytes are the sender's.
    reply.header("Content-Disposition", contentDisposition(f.name));
    return reply.type("application/octet-stream").send(buf);
  };

  app.get<{ Params: { id: string; kind: string } }>("/s/:id/:kind", async (req, reply) => {
    const row = await rowOf(req.params.id);
    const kind = req.params.kind;
    if (!row || (kind !== "word" && kind !== "eml")) return reply.code(404).send("没有这个文件");
    return send(reply, submissionFile(row, kind));
  });

  app.get<{ Params: { id: string; n: string } }>("/s/:id/scan/:n", async (req, reply) => {
    const row = await rowOf(req.params.id);
    const n = Number(req.params.n);
    if (!row || !Number.isInteger(n) || n < 0) return reply.code(404).send("没有这个文件");
    return send(reply, submissionFile(row, "scan", n));
  });

  app.get<{ Params: { id: string; kind: string } }>("/s/:id/crop/:kind", async (req, reply) => {
    const row = await rowOf(req.params.id);
    const kind = req.params.kind;
    const p = row && (kind === "seal" || kind === "signature") ? cropPath(row, kind) : undefined;
    if (!p) return reply.code(404).send("没有截图");
    try {
      const buf = await ctx.archive.readFile(p);
      const type = imageType(buf);
      if (!type) return reply.code(404).send("没有截图");
      reply.header("Cache-Control", "private, max-age=300");
      return reply.type(type).send(buf);
    } catch {
      return reply.code(404).send("没有截图");
    }
  });

  app.get<{ Params: { ref: string } }>("/m/:ref/eml", async (req, reply) => {
    const m = (await ctx.cache.get()).records.find((r) => messageRef(r.messageKey) === req.params.ref);
    return send(reply, m ? { relPath: `messages/${m.messageKey}/message.eml`, name: `${m.messageKey}.eml` } : undefined);
  });

  app.get<{ Params: { id: string; n: string } }>("/s/:id/receipt/:n", async (req, reply) => {
    const row = await rowOf(req.params.id);
    if (!row) return reply.code(404).send("没有回执");
    const rc = (await readReceipts(ctx.archive, row.messageKey, ctx.receiptLocator))[Number(req.params.n)];
    return send(reply, rc?.emlPath ? { relPath: rc.emlPath, name: `回执-${row.messageKey}.eml` } : undefined);
  });
}
