import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { simpleParser } from "mailparser";
import yauzl from "yauzl";
import type { WordType } from "../src/index.js";

import { sharedPath } from "../../../test/support/shared-dir.js";

/** The repository root, found from this file. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
/** The development corpus of the measurement data. */
export const corpusDir = sharedPath("corpus");
/** The repository's sample emails, laid out as the corpus. */
export const samplesDir = path.join(repoRoot, "samples");
export const callFile = path.join(repoRoot, "config/calls/2026.yaml");

export interface CorpusWord {
  id: string;
  name: string;
  type: WordType;
  content: Buffer;
}

/** The Word type by magic bytes, as the caller of parseWordForm decides it. */
export function sniff(content: Buffer): WordType | null {
  if (content.subarray(0, 4).toString("hex") === "d0cf11e0") return "ole";
  if (content.subarray(0, 2).toString("latin1") === "PK") return "docx";
  if (content.subarray(0, 5).toString("latin1") === "{\\rtf") return "rtf";
  return null;
}

function zipEntries(buf: Buffer): Promise<{ name: string; content: Buffer }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: { name: string; content: Buffer }[] = [];
      zip.on("end", () => resolve(out));
      zip.on("entry", (e: yauzl.Entry) => {
        if (e.fileName.endsWith("/")) return zip.readEntry();
        zip.openReadStream(e, (e2, s) => {
          if (e2 || !s) return reject(e2);
          const chunks: Buffer[] = [];
          s.on("data", (c: Buffer) => chunks.push(c));
          s.on("end", () => {
            out.push({ name: e.fileName.split("/").pop()!, content: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/** Every Word attachment of an .eml (inside .zip attachments too), typed by content. */
export async function wordAttachments(eml: Buffer, id: string): Promise<CorpusWord[]> {
  const mail = await simpleParser(eml);
  const out: CorpusWord[] = [];
  for (const a of mail.attachments) {
    const name = a.filename ?? "";
    const items = /\.zip$/i.test(name) || a.contentType === "application/zip" ? await zipEntries(a.content) : [{ name, content: a.content }];
    for (const it of items) {
      const type = sniff(it.content);
      if (!type || !/\.(docx?|wps|rtf|odt)$/i.test(it.name)) continue;
      out.push({ id, name: it.name, type, content: it.content });
    }
  }
  return out;
}

/** Each message id of the corpus with its .eml path (a message in both mailboxes once). */
export function corpusMessages(dir = corpusDir): { id: string; file: string }[] {
  const seen = new Map<string, string>();
  const boxes = path.join(dir, "mailboxes");
  if (!existsSync(boxes)) return [];
  for (const mb of readdirSync(boxes).sort())
    for (const f of readdirSync(path.join(boxes, mb)).sort())
      if (f.endsWith(".eml") && !seen.has(f)) seen.set(f, path.join(boxes, mb, f));
  return [...seen.entries()].map(([f, file]) => ({ id: f.replace(/\.eml$/, ""), file })).sort((a, b) => a.id.localeCompare(b.id));
}

export interface ExpectedSubmission {
  word: string | null;
  fields: Record<string, unknown>;
  flags: string[];
}

export function expectedFor(id: string, dir = corpusDir): ExpectedSubmission[] {
  const p = path.join(dir, "expected", `${id}.json`);
  if (!existsSync(p)) return [];
  return (JSON.parse(readFileSync(p, "utf8")) as { submissions: ExpectedSubmission[] }).submissions;
}

/** Flags the form parser is responsible for. */
export const FORM_FLAG = /^(missing-field|invalid-field|country-outside-mechanism|excluded-project-kind)/;
