import { createHash } from "node:crypto";
import type { Flag } from "@intake/schema";
import { uniqueFlags } from "@intake/schema";
import { messageKeyOf } from "../message-key.js";
import { claimsFormOrScan } from "./attachment-checks.js";
import { senderAuthentication } from "./authentication.js";
import { classify } from "./classify.js";
import { StoredNames } from "./file-name.js";
import { headerRecord, parseMailDate, receivedDate } from "./header-values.js";
import { resolveLimits, type MailLimits } from "./limits.js";
import { readMime } from "./read-mime.js";
import type { Attachment, ParsedMessage, ParseMessageOptions } from "./types.js";
import { candidateOf, unpack, type UnpackContext, type Unnamed } from "./unpack.js";

/**
 * Parses one raw email into what the pipeline needs: decoded headers, its
 * kind, and every attachment unpacked (zips, forwarded messages), typed by
 * content, with flags for what is unsafe or unreadable. Never throws on bad
 * input: the worst case is kind "other" with no attachments.
 */
export async function parseMessage(raw: Buffer, opts: ParseMessageOptions = {}): Promise<ParsedMessage> {
  const limits = resolveLimits(opts.limits);
  const logger = opts.logger;
  const flags: Flag[] = [];
  const tooBig = raw.length > limits.maxMessageBytes;
  if (tooBig) {
    flags.push({ code: "unreadable-attachment", reason: "message-too-large", detail: `message of ${raw.length} bytes is over the ${limits.maxMessageBytes}-byte limit; attachments not read` });
  }
  const mime = await readMime(tooBig ? headerOnly(raw) : raw, limits, logger);
  // Refused whole (too big, too many parts, nested too deep): whatever it carried is unread.
  const partsUnread = tooBig || !!mime.failure;
  if (mime.failure && !tooBig) {
    flags.push({ code: "unreadable-attachment", reason: "message-unreadable", detail: "the message's MIME structure could not be read; attachments not read" });
  }
  const ctx: UnpackContext = {
    limits,
    budget: { bytesLeft: limits.maxUnpackedBytes },
    found: [],
    flags,
    readMime: (inner) => readMime(inner, limits, logger),
    ...(logger ? { logger } : {}),
  };
  for (const [i, part] of mime.parts.entries()) await unpack(candidateOf(part, i), 1, ctx);
  const once = onceEach(ctx.found, logger);
  const keptNames = new Set(once.map((a) => a.name));
  const dropped = new Set(ctx.found.filter((a) => !keptNames.has(a.name)).map((a) => a.name));
  // A repeat's own flags would name a file the record no longer lists.
  if (dropped.size) flags.splice(0, flags.length, ...flags.filter((f) => !f.file || !dropped.has(f.file)));
  const kept = capAttachments(once, limits, flags);
  const names = new StoredNames();
  const attachments: Attachment[] = kept.map((a) => ({ ...a, storedName: names.claim(a.name) }));

  const headers = headerRecord(mime.headerLines, limits.maxHeaderValueChars);
  const date = parseMailDate(headers["date"]?.split("\n")[0]);
  const { kind, autoReply, listMail } = classify({
    headers,
    subject: mime.subject,
    fromAddress: mime.from?.address ?? null,
    partTypes: mime.parts.map((p) => p.declaredType ?? ""),
    roles: attachments.map((a) => a.role),
    unreadableForm:
      partsUnread || attachments.some((a) => a.type === "tnef" || (claimsFormOrScan(a.name) && flags.some((f) => f.file === a.name))),
    // Logos and pasted pictures in the body are no attachment; every other part is.
    attachmentCount: attachments.filter((a) => !(a.inline && a.role === "other")).length + (mime.failure ? 1 : 0),
    text: mime.text,
  });
  if (flags.length) logger?.info({ flags }, "attachment problems found while unpacking");
  return {
    messageId: mime.messageId,
    messageKey: messageKeyOf(raw),
    subject: mime.subject,
    from: mime.from,
    replyTo: mime.replyTo,
    to: mime.to,
    cc: mime.cc,
    date,
    receivedAt: receivedDate(mime.headerLines) ?? date,
    inReplyTo: mime.inReplyTo,
    references: mime.references,
    headers,
    text: mime.text,
    kind,
    autoReply,
    listMail,
    attachments,
    partsUnread,
    senderAuth: senderAuthentication(mime.headerLines, mime.from?.address ?? null, { trustedServIds: opts.trustedAuthServIds ?? [] }),
    flags: uniqueFlags(flags),
  };
}

/** Keeps at most maxAttachments, forms and scans first, in their original order. */
function capAttachments(found: Unnamed[], limits: MailLimits, flags: Flag[]): Unnamed[] {
  if (found.length <= limits.maxAttachments) return found;
  const rank = (a: Unnamed): number => (a.role === "other" ? 1 : 0);
  const keep = new Set(
    found
      .map((a, i) => ({ a, i }))
      .sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i)
      .slice(0, limits.maxAttachments)
      .map((x) => x.i),
  );
  flags.push({
    code: "suspicious-attachment",
    reason: "too-many-attachments",
    detail: `${found.length} attachments; only ${limits.maxAttachments} kept (forms and scans first)`,
  });
  return found.filter((_, i) => keep.has(i));
}

/**
 * The same bytes sent twice (two names for one file, or again in a forwarded
 * copy of the message) are one file: kept once, where first met, with the
 * other names noted, so one PDF is never the scan of two forms nor one photo
 * two pages.
 */
function onceEach(found: Unnamed[], logger?: ParseMessageOptions["logger"]): Unnamed[] {
  const first = new Map<string, Unnamed>();
  const out: Unnamed[] = [];
  for (const a of found) {
    const key = createHash("sha256").update(a.content).digest("hex");
    const seen = first.get(key);
    if (!seen || a.size === 0) {
      first.set(key, a);
      out.push(a);
      continue;
    }
    if (a.name !== seen.name && !seen.duplicates?.includes(a.name)) seen.duplicates = [...(seen.duplicates ?? []), a.name];
    logger?.info({ file: a.name, sameAs: seen.name }, "attachment repeats an earlier one; counted once");
  }
  return out;
}

function headerOnly(raw: Buffer): Buffer {
  const cap = raw.subarray(0, 256 * 1024);
  const at = cap.indexOf("\r\n\r\n");
  const at2 = cap.indexOf("\n\n");
  const end = [at, at2].filter((x) => x >= 0).sort((a, b) => a - b)[0];
  return end === undefined ? cap : cap.subarray(0, end + 2);
}
