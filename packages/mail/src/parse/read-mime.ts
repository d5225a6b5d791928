import { Readable } from "node:stream";
import { simpleParser } from "mailparser";
import type { AddressObject, ParsedMail } from "mailparser";
import type { Logger } from "pino";
import type { MailLimits } from "./limits.js";
import { prepareRaw } from "./prepare-raw.js";
import type { Address } from "./types.js";
import { oneLine } from "./header-values.js";

/** An attachment as mailparser hands it over, before we judge it. */
export interface MimePart {
  name: string | null;
  declaredType: string | null;
  content: Buffer;
  /** Shown inside the body (Content-ID in multipart/related): logos and pasted pictures. */
  inlineImage: boolean;
}

export interface MimeMessage {
  headerLines: readonly { key: string; line: string }[];
  subject: string | null;
  from: Address | null;
  replyTo: Address | null;
  to: string[];
  cc: string[];
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  text: string;
  parts: MimePart[];
  /** Header fields were cut to fit the limits. */
  truncated: boolean;
  /** Why mailparser gave up on the body, when it did; only what could be read of the header is here then. */
  failure: string | null;
}

const CHUNK = 256 * 1024;

const PARSER_OPTIONS = {
  checksumAlgo: false,
  skipTextLinks: true,
  skipImageLinks: true,
  skipTextToHtml: true,
  keepDeliveryStatus: true,
  maxHtmlLengthToParse: 2 * 1024 * 1024,
} as const;

/** MIME-parses one message with our raw-header repairs; never throws on bad input. */
export async function readMime(raw: Buffer, limits: MailLimits, logger?: Logger): Promise<MimeMessage> {
  const prepared = prepareRaw(raw, limits);
  let failure: string;
  try {
    const mail = await simpleParser(chunked(prepared.raw), PARSER_OPTIONS);
    return fromParsed(mail, prepared.truncated, null, limits);
  } catch (err) {
    // e.g. more than 1000 MIME parts, which mailsplit refuses outright.
    failure = (err as Error).message;
    logger?.info({ code: "unreadable-attachment", reason: "message-unreadable", cause: failure.slice(0, 200) }, "message could not be MIME-parsed; reading its header only");
  }
  try {
    const end = headerEnd(prepared.raw);
    const mail = await simpleParser(prepared.raw.subarray(0, end), PARSER_OPTIONS);
    return { ...fromParsed(mail, prepared.truncated, failure, limits), parts: [] };
  } catch (err) {
    logger?.info({ reason: "message-unreadable", cause: String((err as Error)?.message ?? err).slice(0, 200) }, "message header could not be parsed");
    return {
      headerLines: [], subject: null, from: null, replyTo: null, to: [], cc: [], messageId: null, inReplyTo: null,
      references: [], text: "", parts: [], truncated: prepared.truncated, failure,
    };
  }
}

/**
 * The message fed in slices: given one big Buffer, mailparser splits it into
 * lines all at once and peaks near 9x a 40 MB attachment; in slices the
 * garbage is collected as it goes (about half the peak, and faster).
 */
function chunked(raw: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < raw.length; i += CHUNK) yield raw.subarray(i, i + CHUNK);
    })(),
    { objectMode: false },
  );
}

function headerEnd(raw: Buffer): number {
  const cap = Math.min(raw.length, 256 * 1024);
  const m = /\r?\n\r?\n/.exec(raw.subarray(0, cap).toString("latin1"));
  return m ? m.index + m[0].length : cap;
}

function fromParsed(mail: ParsedMail, truncated: boolean, failure: string | null, limits: MailLimits): MimeMessage {
  const refs = mail.references === undefined ? [] : Array.isArray(mail.references) ? mail.references : [mail.references];
  return {
    headerLines: mail.headerLines ?? [],
    subject: typeof mail.subject !== "string" ? null : oneLine(mail.subject).slice(0, limits.maxHeaderValueChars),
    from: firstAddress(mail.from),
    replyTo: firstAddress(mail.replyTo),
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    messageId: typeof mail.messageId === "string" ? oneLine(mail.messageId) || null : null,
    inReplyTo: typeof mail.inReplyTo === "string" ? oneLine(mail.inReplyTo) || null : null,
    references: refs.flatMap((r) => (typeof r === "string" ? r.split(/\s+/) : [])).filter(Boolean).slice(0, 200),
    text: (typeof mail.text === "string" ? mail.text : "").replace(/\u0000/g, "").slice(0, limits.maxTextChars),
    parts: mail.attachments.map((a) => ({
      // Malformed headers can leave these as non-strings.
      name: typeof a.filename === "string" ? a.filename : null,
      declaredType: declaredType(a),
      content: a.content,
      inlineImage: Boolean(a.related || (a.contentDisposition === "inline" && a.cid)),
    })),
    truncated,
    failure,
  };
}

/** The Content-Type as sent: mailparser replaces application/octet-stream with a guess from the file name. */
function declaredType(a: ParsedMail["attachments"][number]): string | null {
  const h = a.headers?.get("content-type") as { value?: unknown } | string | undefined;
  const v = typeof h === "string" ? h : h?.value;
  if (typeof v === "string" && v.trim()) return v.trim().toLowerCase().slice(0, 200);
  return typeof a.contentType === "string" ? a.contentType : null;
}

const ADDRESS = /^[^\s@<>()"',;:\\[\]]+@[^\s@<>()"',;:\\[\]]+$/;

function flatten(obj: AddressObject | AddressObject[] | undefined): { address?: string; name?: string }[] {
  const list = obj === undefined ? [] : Array.isArray(obj) ? obj : [obj];
  const out: { address?: string; name?: string }[] = [];
  for (const o of list) {
    for (const v of o.value ?? []) {
      if (v.group) out.push(...v.group);
      else out.push(v);
    }
  }
  return out;
}

/** The first well-formed address, its display name made one safe line. */
function firstAddress(obj: AddressObject | AddressObject[] | undefined): Address | null {
  for (const v of flatten(obj)) {
    const address = (v.address ?? "").trim();
    if (ADDRESS.test(address)) return { address, name: oneLine(v.name ?? "").slice(0, 200) };
  }
  return null;
}

function addresses(obj: AddressObject | AddressObject[] | undefined): string[] {
  return flatten(obj)
    .map((v) => (v.address ?? "").trim())
    .filter((a) => ADDRESS.test(a))
    .slice(0, 500);
}
