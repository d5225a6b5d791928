import { emptyFields, IntakeError, isIntakeError, uniqueFlags } from "@intake/schema";
import type { Flag } from "@intake/schema";
import { checkFields } from "./check/check-fields.js";
import { extractFields } from "./extract/form-fields.js";
import { parseDocumentXml } from "./reader/docx-xml.js";
import { activeContentFlag, docxActiveContent, isActiveContentPart, oleActiveContent } from "./reader/active-content.js";
import { readOleWord } from "./reader/ole-doc.js";
import { sniffWordType } from "./reader/sniff.js";
import { readZipEntries } from "./reader/zip-entries.js";
import { DEFAULT_LIMITS, type DocModel, type FormResult, type ParseWordOptions, type WordLimits } from "./types.js";

const DOCUMENT_XML = "word/document.xml";

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IntakeError("ATTACHMENT_UNREADABLE", `reading took longer than ${ms} ms`, { reason: "too-complex" })), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

async function readZipWord(content: Buffer, limits: WordLimits, fileName: string, flags: Flag[]): Promise<DocModel> {
  const zip = await readZipEntries(content, (n) => n === DOCUMENT_XML || n === "mimetype" || isActiveContentPart(n), limits);
  const xml = zip.entries.get(DOCUMENT_XML);
  const active = docxActiveContent(zip.names, zip.entries, xml);
  if (active.length) flags.push(activeContentFlag(fileName, active));
  if (!xml) {
    const mime = zip.entries.get("mimetype")?.toString("latin1") ?? "";
    if (mime.startsWith("application/vnd.oasis.opendocument")) throw new IntakeError("ATTACHMENT_UNREADABLE", "OpenDocument (.odt) files are not read", { reason: "odt" });
    throw new IntakeError("ATTACHMENT_UNREADABLE", "ZIP file without word/document.xml: not a Word document", { reason: "not-word" });
  }
  return parseDocumentXml(xml);
}

async function readModel(content: Buffer, opts: ParseWordOptions, limits: WordLimits, flags: Flag[]): Promise<DocModel> {
  const sniffed = sniffWordType(content);
  if (sniffed !== (opts.type === "docx" || opts.type === "odt" ? "zip" : opts.type))
    opts.logger?.warn({ file: opts.fileName, declared: opts.type, sniffed }, "Word file type differs from the caller's");
  // The content decides how a file is read, whatever its name says (a .docx named .doc is common).
  if (sniffed === "zip") return readZipWord(content, limits, opts.fileName, flags);
  if (sniffed === "ole") {
    // The whole compound file is parsed in memory, so its size is the cost.
    if (content.length > limits.maxUncompressedBytes)
      throw new IntakeError("ATTACHMENT_UNREADABLE", `Word 97-2003 file of ${content.length} bytes is over the cap of ${limits.maxUncompressedBytes}`, { reason: "too-large" });
    const active = oleActiveContent(content);
    if (active.length) flags.push(activeContentFlag(opts.fileName, active));
    return readOleWord(content);
  }
  if (sniffed === "rtf") throw new IntakeError("ATTACHMENT_UNREADABLE", "RTF files are not read", { reason: "rtf" });
  if (content.subarray(0, 2).toString("latin1") === "MZ") throw new IntakeError("ATTACHMENT_SUSPICIOUS", "content is a Windows executable", { reason: "executable" });
  throw new IntakeError("ATTACHMENT_UNREADABLE", "not a Word document (unknown format)", { reason: content.length ? "not-word" : "empty" });
}

/**
 * The Word file as tables and paragraphs, for showing its text beside the
 * fields read from it; under the same caps as parsing. Throws IntakeError when
 * it cannot be read.
 */
export async function readWordDocument(content: Buffer, opts: ParseWordOptions): Promise<DocModel> {
  const limits: WordLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  return withTimeout(readModel(content, opts, limits, []), limits.timeoutMs);
}

/** Parses one Word attachment into the form's fields, flags included; never throws on bad input. */
export async function parseWordForm(content: Buffer, opts: ParseWordOptions): Promise<FormResult> {
  const limits: WordLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  const flags: Flag[] = [];
  const log = opts.logger?.child({ file: opts.fileName });
  try {
    const doc = await withTimeout(readModel(content, opts, limits, flags), limits.timeoutMs);
    const { fields, sources } = extractFields(doc, opts.call);
    flags.push(...checkFields(fields, opts.call));
    return { readable: true, fields, sources, flags: uniqueFlags(flags) };
  } catch (e) {
    // Every failure is about this file: it becomes a flag, never an exception for the caller.
    // What the library said goes to the log; people read the call's words for the reason.
    const suspicious = isIntakeError(e, "ATTACHMENT_SUSPICIOUS");
    const code = suspicious ? "suspicious-attachment" : "unreadable-attachment";
    const reason = (isIntakeError(e) && e.reason) || "damaged";
    const detail = isIntakeError(e) ? e.message : "cannot read the file";
    log?.info({ code, reason, detail, cause: causeText(e) }, "Word file refused");
    flags.push({ code, file: opts.fileName, reason, detail });
    return { readable: false, fields: emptyFields(), sources: {}, flags: uniqueFlags(flags) };
  }
}

/** The underlying library's message, for the log only (one line, bounded). */
function causeText(e: unknown): string | undefined {
  const c = isIntakeError(e) ? e.cause : e;
  const m = c instanceof Error ? c.message : c === undefined ? undefined : String(c);
  return m?.replace(/\s+/g, " ").slice(0, 200);
}
