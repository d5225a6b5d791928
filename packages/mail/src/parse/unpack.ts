import type { Flag } from "@intake/schema";
import type { Logger } from "pino";
import { checkFile, nameMismatch, roleOf } from "./attachment-checks.js";
import { extensionOf } from "./file-name.js";
import { sniffType } from "./file-type.js";
import type { MailLimits } from "./limits.js";
import type { MimeMessage, MimePart } from "./read-mime.js";
import type { Attachment, FileType } from "./types.js";
import { inspectZip, unzip, type UnpackBudget } from "./unzip.js";
import { zipEntryNames } from "./zip-listing.js";

/** An attachment before its stored name is chosen. */
export type Unnamed = Omit<Attachment, "storedName">;

/** One message's unpacking: what was found so far and what is still allowed. */
export interface UnpackContext {
  limits: MailLimits;
  logger?: Logger;
  budget: UnpackBudget;
  found: Unnamed[];
  flags: Flag[];
  /** Parses a forwarded message (the same way as the outer one). */
  readMime: (raw: Buffer) => Promise<MimeMessage>;
}

export interface Candidate {
  name: string;
  declaredType: string | null;
  content: Buffer;
  from?: string;
  inlineImage?: boolean;
}

const EXT_OF_TYPE: Partial<Record<FileType, string>> = {
  docx: "docx", ole: "doc", rtf: "rtf", odt: "odt", zip: "zip", pdf: "pdf", jpeg: "jpg", png: "png", tiff: "tif",
  gif: "gif", bmp: "bmp", webp: "webp", heif: "heic", exe: "exe", tnef: "dat", eml: "eml", html: "html", text: "txt",
};

/** Names a part that came without one, after what it is. */
export function candidateOf(part: MimePart, index: number, from?: string): Candidate {
  const name = part.name?.trim() ? part.name : `part-${index + 1}.${EXT_OF_TYPE[sniffType(part.content)] ?? "bin"}`;
  return { name, declaredType: part.declaredType, content: part.content, inlineImage: part.inlineImage, ...(from ? { from } : {}) };
}

/**
 * Judges one file and, when it is a container (zip, forwarded email), what is
 * inside it, depth-first; everything found lands in ctx.found in order.
 */
export async function unpack(c: Candidate, depth: number, ctx: UnpackContext): Promise<void> {
  const { limits } = ctx;
  const type = sniffType(c.content);
  const flags = checkFile(c.name, type, c.content);
  let role = roleOf(type, c.name, c.content);
  if (role === "scan" && c.inlineImage && c.content.length < limits.minInlineScanBytes) role = "other";
  if (c.content.length > limits.maxAttachmentBytes) {
    flags.push({ code: "unreadable-attachment", file: c.name, reason: "too-large", detail: `${c.content.length} bytes (limit ${limits.maxAttachmentBytes})` });
    role = "other";
  }
  const mismatch = role === "other" ? null : nameMismatch(c.name, type);
  ctx.found.push({
    name: c.name,
    type,
    declaredType: c.declaredType,
    content: c.content,
    size: c.content.length,
    role,
    ...(c.from ? { from: c.from } : {}),
    ...(c.inlineImage ? { inline: true } : {}),
    ...(mismatch ? { nameMismatch: mismatch } : {}),
  });
  if (flags.length) {
    ctx.flags.push(...flags);
    return;
  }
  if (type === "docx" || type === "odt" || (type === "zip" && role === "word")) {
    // Office files are zips too: judged (never inflated) here so a bomb is refused before anyone opens it.
    const refusal = await inspectZip(c.content, c.name, limits);
    if (refusal) ctx.flags.push(refusal);
    return;
  }
  const isMessage = type === "eml" || /^message\/(rfc822|global)$/i.test(c.declaredType ?? "") || extensionOf(c.name) === "eml";
  if (type !== "zip" && !isMessage) return;
  // Spreadsheets and slides are zips too; their XML parts are nobody's attachments.
  if (type === "zip" && isOfficeContainer(c.content)) return;
  if (depth >= limits.maxNestingDepth) {
    ctx.flags.push({ code: "suspicious-attachment", file: c.name, reason: "nested-too-deep", detail: `archives or forwarded messages nested more than ${limits.maxNestingDepth} deep` });
    return;
  }
  if (type === "zip") {
    const r = await unzip(c.content, c.name, limits, ctx.budget);
    ctx.flags.push(...r.flags);
    for (const f of r.files) await unpack({ name: f.name, declaredType: null, content: f.content, from: c.name }, depth + 1, ctx);
    return;
  }
  const inner = await ctx.readMime(c.content);
  if (inner.failure) {
    ctx.logger?.info({ file: c.name, reason: "forwarded-unreadable", cause: inner.failure.slice(0, 200) }, "forwarded message cannot be read");
    ctx.flags.push({ code: "unreadable-attachment", file: c.name, reason: "forwarded-unreadable", detail: "forwarded message cannot be read" });
  }
  for (const [i, part] of inner.parts.entries()) await unpack(candidateOf(part, i, c.name), depth + 1, ctx);
}

function isOfficeContainer(buf: Buffer): boolean {
  const names = zipEntryNames(buf) ?? [];
  return names.includes("[Content_Types].xml") || (names[0] === "mimetype" && buf.subarray(0, 200).includes("application/vnd.oasis.opendocument"));
}
