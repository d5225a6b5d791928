import { simpleParser } from "mailparser";
import { readHead, type ArchiveReader } from "./archive-reader.js";

/** Most of an email read to show its text: enough for any letter, bounded for a hostile one. */
const MAX_EML = 2 * 1024 * 1024;
const MAX_TEXT = 20_000;

export interface MessageHead {
  from: string | null;
  subject: string | null;
  date: string | null;
}

export interface MessageText extends MessageHead {
  /** The plain text of the body (an HTML-only body as text), cut at 20 000 characters. */
  text: string;
  truncated: boolean;
  attachments: { name: string; size: number }[];
}

function emlPath(messageKey: string): string {
  return `messages/${messageKey}/message.eml`;
}

/** From, Subject and Date of an archived email, from its header block only. */
export async function readMessageHead(archive: ArchiveReader, messageKey: string): Promise<MessageHead> {
  const head = await readHead(archive, emlPath(messageKey), 64 * 1024);
  const end = head.indexOf("\r\n\r\n") >= 0 ? head.indexOf("\r\n\r\n") : head.indexOf("\n\n");
  const parsed = await simpleParser(end >= 0 ? head.subarray(0, end + 2) : head, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  return { from: parsed.from?.text ?? null, subject: parsed.subject ?? null, date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : null };
}

/**
 * The readable text of an archived email (an inquiry, a bounce), never its
 * HTML: reviewers read it as text, nothing of it is markup or a link.
 */
export async function readMessageText(archive: ArchiveReader, messageKey: string): Promise<MessageText> {
  const raw = await readHead(archive, emlPath(messageKey), MAX_EML);
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: 1024 * 1024 });
  const body = (parsed.text ?? "").replace(/\r\n/g, "\n").trim();
  return {
    from: parsed.from?.text ?? null,
    subject: parsed.subject ?? null,
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : null,
    text: body.slice(0, MAX_TEXT),
    truncated: body.length > MAX_TEXT || raw.length >= MAX_EML,
    attachments: parsed.attachments.map((a) => ({ name: a.filename ?? "（无文件名）", size: a.size })),
  };
}
