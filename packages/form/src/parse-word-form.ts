import { emptyFields, IntakeError, isIntakeError, uniqueFlags } from "@intake/schema";
import type { Flag } from "@intake/schema";
import { checkFields } from "./check/check-fields.js";
import { extractFields } from "./extract/form-fields.js";
import { parseDocumentXml } from "./reader/docx-xml.js";
import { activeContentFlag, docxActiveContent, isActiveContentPart, oleActiveContent } from "./reader/active-content.js";
import { readOleWord } from "./reader/ole-doc.js";
import { extensionType, sniffWordType } from "./reader/sniff.js";
import { readZipEntries } from "./reader/zip-entries.js";
import { DEFAULT_LIMITS, type DocModel, type FormResult, type ParseWordOptions, type WordLimits } from "./types.js";

const DOCUMENT_XML = "word/document.xml";

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IntakeError("ATTACHMENT_UNREADABLE", `reading took longer than ${ms} ms`)), ms);
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
    if (mime.startsWith("application/vnd.oasis.opendocument")) throw new IntakeError("ATTACHMENT_UNREADABLE", "OpenDocument (.odt) files are not read; please send .docx or .doc");
    throw new IntakeError("ATTACHMENT_UNREADABLE", "ZIP file without word/document.xml: not a Word document");
  }
  return parseDocumentXml(xml);
}

async function readModel(content: Buffer, opts: ParseWordOptions, limits: WordLimits, flags: Flag[]): Promise<DocModel> {
  const sniffed = sniffWordType(content);
  if (sniffed !== (opts.type === "docx" || opts.type === "odt" ? "zip" : opts.type))
    opts.logger?.warn({ file: opts.fileName, declared: opts.type, sniffed }, "Word file type differs from the caller's");
  const ext = extensionType(opts.fileName);
  if (sniffed === "zip" && ext === "ole") {
    // A ZIP named .doc/.wps is not what it says; it is still read so reviewers see its fields.
    flags.push({ code: "suspicious-attachment", file: opts.fileName, detail: "content is a ZIP (.docx) but the name says Word 97-2003" });
  }
  if (sniffed === "zip") return readZipWord(content, limits, opts.fileName, flags);
  if (sniffed === "ole") {
    // The whole compound file is parsed in memory, so its size is the cost.
    if (content.length > limits.maxUncompressedBytes)
      throw new IntakeError("ATTACHMENT_UNREADABLE", `Word 97-2003 file of ${content.length} bytes is over the cap of ${limits.maxUncompressedBytes}`);
    const active = oleActiveContent(content);
    if (active.length) flags.push(activeContentFlag(opts.fileName, active));
    return readOleWord(content);
  }
  if (sniffed === "rtf") throw new IntakeError("ATTACHMENT_UNREADABLE", "RTF files are not read; please send .docx or .doc");
  if (content.subarray(0, 2).toString("latin1") === "MZ") throw new IntakeError("ATTACHMENT_SUSPICIOUS", "content is a Windows executable");
  throw new IntakeError("ATTACHMENT_UNREADABLE", "not a Word document (unknown format)");
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
    const suspicious = isIntakeError(e, "ATTACHMENT_SUSPICIOUS");
    const detail = isIntakeError(e) ? e.message : `cannot read the file: ${(e as Error)?.message ?? String(e)}`.slice(0, 300);
    log?.warn({ err: e }, "Word file refused");
    flags.push({ code: suspicious ? "suspicious-attachment" : "unreadable-attachment", file: opts.fileName, detail });
    return { readable: false, fields: emptyFields(), sources: {}, flags: uniqueFlags(flags) };
  }
}
