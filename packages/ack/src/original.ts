import { MailParser, type AddressObject, type HeaderValue } from "mailparser";

/** What the receipt needs to know about the applicant's email, read from its headers. */
export interface OriginalMessage {
  /** The Message-ID header, `<…>`, or null. */
  messageId: string | null;
  subject: string | null;
  /** The From address (bare), or null. */
  from: string | null;
  /** The first Reply-To address (bare), or null. */
  replyTo: string | null;
  /** How many mailboxes the From field lists (1 when unknown). */
  fromCount?: number;
  /** The Sender address (bare), or null: who sent it when From lists several. */
  sender?: string | null;
  /** Message-IDs of the References header, oldest first. */
  references: string[];
  /** RFC 3834 Auto-Submitted (other than "no"), X-Autoreply and the like: a machine wrote it. */
  autoReply?: boolean;
  /** A delivery report or a message from the null sender. */
  bounce?: boolean;
  /** Mailing-list or bulk mail (List-Id, List-Unsubscribe, Precedence: bulk/list/junk). */
  listMail?: boolean;
}

/** How much of the raw email is read for its headers; the body is never needed. */
const MAX_HEAD_BYTES = 16 * 1024 * 1024;
/** Fields still read once the header block is over MAX_HEAD_KEPT (each once): 90,000 junk fields must not hide the sender. */
const KEPT_PAST_CAP = new Set([
  "from", "sender", "reply-to", "subject", "message-id", "references", "in-reply-to", "auto-submitted", "precedence",
  "list-id", "list-unsubscribe", "list-post", "content-type", "return-path", "x-autoreply", "x-autorespond", "x-failed-recipients",
]);
const MAX_REFERENCES = 20;
/** Longest header line kept, and the most header bytes handed to the parser. */
const MAX_LINE = 8 * 1024;
const MAX_HEAD_KEPT = 256 * 1024;

/** Reads the headers of a raw email (bounded: stops at the end of the header block). */
export async function readOriginal(raw: Buffer | Uint8Array): Promise<OriginalMessage> {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const headers = await parseHeaders(headBlock(buf));
  return fromHeaders(headers);
}

function headBlock(buf: Buffer): Buffer {
  let end = Math.min(buf.length, MAX_HEAD_BYTES);
  for (const sep of ["\r\n\r\n", "\n\n"]) {
    const i = buf.indexOf(sep, 0, "latin1");
    if (i >= 0 && i < end) end = i;
  }
  const out: Buffer[] = [];
  let total = 0;
  let start = 0;
  const keptPastCap = new Set<string>();
  let keeping = true;
  let fieldBytes = 0;
  while (start < end) {
    let nl = buf.indexOf(0x0a, start);
    if (nl < 0 || nl > end) nl = end;
    let line = buf.subarray(start, nl > start && buf[nl - 1] === 0x0d ? nl - 1 : nl);
    start = nl + 1;
    // Each physical line is cut to a sane length (at a space, so encoded words
    // stay whole): a 1 MB Subject must not trip the parser or cost more time.
    if (line.length > MAX_LINE) {
      const cut = line.lastIndexOf(0x20, MAX_LINE);
      line = line.subarray(0, cut > MAX_LINE / 2 ? cut : MAX_LINE);
    }
    line = asUtf8(line);
    const continuation = line[0] === 0x20 || line[0] === 0x09;
    if (!continuation) fieldBytes = 0;
    if (total > MAX_HEAD_KEPT && !continuation) {
      const name = line.subarray(0, 40).toString("latin1").split(":")[0]!.trim().toLowerCase();
      keeping = KEPT_PAST_CAP.has(name) && !keptPastCap.has(name);
      if (keeping) keptPastCap.add(name);
    }
    fieldBytes += line.length;
    if (!keeping || (total > MAX_HEAD_KEPT && fieldBytes > MAX_LINE)) continue;
    // Counted as mailparser counts a header block against its 1 MiB: every line at least 64 bytes.
    total += Math.max(line.length + 2, 64);
    out.push(line, CRLF);
  }
  out.push(CRLF);
  return Buffer.concat(out);
}

const CRLF = Buffer.from("\r\n");
const UTF8 = new TextDecoder("utf-8", { fatal: true });
const GB = new TextDecoder("gb18030");

/** Old Chinese clients send raw 8-bit GBK headers; anything that is not UTF-8 is read as GB 18030. */
function asUtf8(line: Buffer): Buffer {
  if (!line.some((b) => b >= 0x80)) return line;
  try {
    UTF8.decode(line);
    return line;
  } catch {
    return Buffer.from(GB.decode(line), "utf8");
  }
}

function parseHeaders(head: Buffer): Promise<Map<string, HeaderValue>> {
  return new Promise((resolve, reject) => {
    const parser = new MailParser({ skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
    let done = false;
    parser.on("headers", (h) => {
      done = true;
      resolve(h);
    });
    parser.on("error", (e) => {
      if (!done) reject(e);
    });
    parser.on("end", () => {
      if (!done) resolve(new Map());
    });
    // A body-less message: reading it to the end is cheap, and the listener drains it.
    parser.on("data", (d: { release?: () => void }) => d.release?.());
    parser.end(head);
  });
}

function addressCount(v: HeaderValue | undefined): number {
  if (!v || typeof v !== "object") return 0;
  let n = 0;
  for (const o of (Array.isArray(v) ? v : [v]) as AddressObject[]) for (const a of o.value ?? []) n += a.group ? a.group.length : a.address ? 1 : 0;
  return n;
}

function firstAddress(v: HeaderValue | undefined): string | null {
  if (!v || typeof v !== "object") return null;
  const objs = (Array.isArray(v) ? v : [v]) as AddressObject[];
  for (const o of objs) {
    for (const a of o.value ?? []) {
      if (a.address) return a.address;
      for (const g of a.group ?? []) if (g.address) return g.address;
    }
  }
  return null;
}

function text(v: HeaderValue | undefined): string | null {
  if (v == null) return null;
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return v.map((x) => text(x as HeaderValue) ?? "").join(" ");
  if (typeof v === "object" && "value" in v && typeof (v as { value: unknown }).value === "string") {
    return (v as { value: string }).value;
  }
  if (typeof v === "object" && "text" in v && typeof (v as { text: unknown }).text === "string") {
    return (v as { text: string }).text;
  }
  return null;
}

function ids(v: HeaderValue | undefined): string[] {
  const s = text(v);
  if (!s) return [];
  return (s.match(/<[^<>\s]+>/g) ?? []).slice(-MAX_REFERENCES);
}

function fromHeaders(h: Map<string, HeaderValue>): OriginalMessage {
  const get = (k: string) => h.get(k);
  const autoSubmitted = text(get("auto-submitted"))?.trim().toLowerCase();
  const precedence = text(get("precedence"))?.trim().toLowerCase() ?? "";
  const contentType = get("content-type") as { value?: string; params?: Record<string, string> } | undefined;
  const returnPath = text(get("return-path"));
  const autoReply =
    (!!autoSubmitted && autoSubmitted !== "no") ||
    h.has("x-autoreply") ||
    h.has("x-autorespond") ||
    h.has("x-autoreply-from") ||
    h.has("x-mail-autoreply") ||
    /auto[-_]?repl/.test(precedence);
  const bounce =
    (contentType?.value?.toLowerCase() === "multipart/report" &&
      /delivery-status/i.test(contentType.params?.["report-type"] ?? "")) ||
    h.has("x-failed-recipients") ||
    (returnPath !== null && /^\s*<?\s*>?\s*$/.test(returnPath));
  const listMail =
    h.has("list-id") || h.has("list-unsubscribe") || h.has("list-post") || /^(bulk|list|junk)$/.test(precedence);
  const messageId = ids(get("message-id"))[0] ?? null;
  return {
    messageId,
    subject: text(get("subject")),
    from: firstAddress(get("from")),
    replyTo: firstAddress(get("reply-to")),
    fromCount: Math.max(1, addressCount(get("from"))),
    sender: firstAddress(get("sender")),
    // RFC 5322 3.6.4: without References, the parent's In-Reply-To stands in for it.
    references: h.has("references") ? ids(get("references")) : ids(get("in-reply-to")),
    autoReply,
    bounce,
    listMail,
  };
}
