// Hostile emails built at test time: bombs are generated, not stored. Each one
// looks like an ordinary submission (a cover note, the Word form and scanned
// copy of a sample email) with one thing in it hostile, and names the flag a
// safe pipeline must raise for it (null where the point is behaviour: no
// crash, bounded work, safe names and headers).
import { unzipSync, Zip, ZipDeflate, zipSync, strToU8, type Zippable } from "fflate";
import iconv from "iconv-lite";
import { simpleParser } from "mailparser";
import { sampleEmail } from "./samples.js";

export interface HostileEmail {
  id: string;
  threat: string;
  /** The flag code the threat calls for, or null. */
  flag: string | null;
  eml: Buffer;
}

/** The real Word form and scanned copy the hostile emails are built around. */
export interface Materials {
  docx: Buffer;
  pdf: Buffer;
  /** The first page image of the scanned copy (a JPEG as the scanner made it). */
  pageJpeg: Buffer;
}

export async function materials(): Promise<Materials> {
  const mail = await simpleParser(await sampleEmail("guoyunlong", "msg-004.eml"));
  const docx = mail.attachments.find((a) => /\.docx$/i.test(a.filename ?? ""))!.content;
  const pdf = mail.attachments.find((a) => /\.pdf$/i.test(a.filename ?? ""))!.content;
  return { docx, pdf, pageJpeg: firstJpeg(pdf) };
}

/** The first JPEG stream inside a PDF: from its SOI marker to the first EOI (entropy-coded data never holds one). */
function firstJpeg(pdf: Buffer): Buffer {
  const start = pdf.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
  const end = pdf.indexOf(Buffer.from([0xff, 0xd9]), start);
  if (start < 0 || end < 0) throw new Error("no JPEG in the PDF");
  return pdf.subarray(start, end + 2);
}

// --- MIME -------------------------------------------------------------------

type Line = string | Buffer;

interface Part {
  headers: Line[];
  body: Line;
}

const b64lines = (buf: Buffer): string => buf.toString("base64").replace(/.{76}/g, "$&\r\n");
const encodedWord = (s: string): string => `=?UTF-8?B?${Buffer.from(s).toString("base64")}?=`;

function join(lines: Line[]): Buffer {
  return Buffer.concat(lines.map((l) => Buffer.concat([typeof l === "string" ? Buffer.from(l) : l, Buffer.from("\r\n")])));
}

/** An attachment part; `disposition` is the whole Content-Disposition value when the name needs special encoding. */
export function attachment(name: string, type: string, content: Buffer, disposition?: Line): Part {
  const disp = disposition ?? `attachment; filename="${encodedWord(name)}"`;
  return {
    headers: [`Content-Type: ${type}`, "Content-Transfer-Encoding: base64", Buffer.concat([Buffer.from("Content-Disposition: "), typeof disp === "string" ? Buffer.from(disp) : disp])],
    body: b64lines(content),
  };
}

function multipart(parts: Part[], boundary: string): Line[] {
  const out: Line[] = [];
  for (const p of parts) out.push(`--${boundary}`, ...p.headers, "", p.body);
  out.push(`--${boundary}--`, "");
  return out;
}

const note: Part = { headers: ["Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit"], body: "您好，附件为我单位的申报书及签字盖章扫描件，请查收。" };

export interface Envelope {
  id: string;
  from?: Line;
  subject?: Line;
  /** The whole Message-ID field's value; default `<id@cts.example.org>`. */
  messageId?: string;
  date?: string;
  /** Header lines before the sender's own (what servers on the way prepend). */
  head?: Line[];
  extra?: Line[];
}

/** A submission email to the call's mailbox carrying these parts after a cover note. */
export function submission(env: Envelope, parts: Part[], body?: Part): Buffer {
  return join([
    ...(env.head ?? []),
    Buffer.concat([Buffer.from("From: "), Buffer.from(env.from ?? `${encodedWord("中国地理学会 国际部")} <apply@cts.example.org>`)]),
    "To: guoyunlong@cast.org.cn",
    "Cc: qijiaru@cast.org.cn",
    Buffer.concat([Buffer.from("Subject: "), Buffer.from(env.subject ?? encodedWord("2026年度双边科技人文交流机制重点项目申报"))]),
    `Date: ${env.date ?? "Mon, 05 Jan 2026 10:00:00 +0800"}`,
    `Message-ID: ${env.messageId ?? `<${env.id}@cts.example.org>`}`,
    ...(env.extra ?? []),
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="=_hostile"',
    "",
    ...multipart([body ?? note, ...parts], "=_hostile"),
  ]);
}

const wordPart = (m: Materials, name = "申报书.docx") =>
  attachment(name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", m.docx);
const scanPart = (m: Materials, name = "签字盖章扫描件.pdf") => attachment(name, "application/pdf", m.pdf);

// --- Word files -------------------------------------------------------------

/** The sample .docx with some entries replaced. */
export function rezip(docx: Buffer, replace: Record<string, string | Uint8Array>): Buffer {
  const entries: Zippable = { ...unzipSync(new Uint8Array(docx)) };
  for (const [name, data] of Object.entries(replace)) entries[name] = typeof data === "string" ? strToU8(data) : data;
  return Buffer.from(zipSync(entries));
}

export function documentXml(docx: Buffer): string {
  return Buffer.from(unzipSync(new Uint8Array(docx), { filter: (f) => f.name === "word/document.xml" })["word/document.xml"]!).toString("utf8");
}

/** document.xml with a DTD declared after the XML declaration and an entity used in the first run of text. */
function withEntity(xml: string, dtd: string, entity: string): string {
  const decl = /^<\?xml[^>]*\?>/.exec(xml)?.[0] ?? "";
  return `${decl}<!DOCTYPE w:document [${dtd}]>${xml.slice(decl.length).replace(/(<w:t(?: [^>]*)?>)/, `$1&${entity};`)}`;
}

/** A ZIP whose one big entry is `bytes` of spaces inside a Word run: deflates about 1000 to 1, built in 1 MiB chunks. */
function spacesBomb(entry: string, bytes: number, others: Record<string, Uint8Array> = {}): Buffer {
  const out: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    out.push(chunk);
  });
  for (const [name, data] of Object.entries(others)) {
    const f = new ZipDeflate(name);
    zip.add(f);
    f.push(data, true);
  }
  const big = new ZipDeflate(entry, { level: 9 });
  zip.add(big);
  big.push(strToU8('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'));
  const spaces = new Uint8Array(1 << 20).fill(0x20);
  for (let left = bytes; left > 0; left -= spaces.length) big.push(left >= spaces.length ? spaces : spaces.subarray(0, left));
  big.push(strToU8("</w:t></w:r></w:p></w:body></w:document>"), true);
  zip.end();
  return Buffer.concat(out);
}

// --- Scans ------------------------------------------------------------------

/** A PDF of blank A4 pages sharing one empty content stream, with optional catalog entries; offsets computed. */
export function blankPdf(pages: number, catalogExtra = ""): Buffer {
  const objs: string[] = [];
  const pageIds = Array.from({ length: pages }, (_, i) => 4 + i);
  objs[1] = `<< /Type /Catalog /Pages 2 0 R ${catalogExtra}>>`;
  objs[2] = `<< /Type /Pages /Count ${pages} /Kids [${pageIds.map((i) => `${i} 0 R`).join(" ")}] >>`;
  objs[3] = "<< /Length 0 >>\nstream\n\nendstream";
  for (const i of pageIds) objs[i] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << >> >>";
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  for (let i = 1; i < objs.length; i++) {
    offsets[i] = Buffer.byteLength(body);
    body += `${i} 0 obj\n${objs[i]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objs.length}\n0000000000 65535 f \n${offsets.slice(1).map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objs.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** A JPEG whose frame header claims width × height (the data stays small): a decompression bomb as a decoder would see it. */
function claimDimensions(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  for (let i = 2; i + 9 < out.length; ) {
    if (out[i] !== 0xff) throw new Error("not a JPEG marker");
    const marker = out[i + 1]!;
    const len = out.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
    i += 2 + len;
  }
  throw new Error("no frame header in the JPEG");
}

/** A Windows executable's first bytes (DOS stub, PE signature; no code) under a scan's name. */
const EXE = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(58), Buffer.from([0x40, 0, 0, 0]), Buffer.from("This program cannot be run in DOS mode.\r\n"), Buffer.alloc(23), Buffer.from("PE\0\0"), Buffer.alloc(4096)]);

// --- The set ----------------------------------------------------------------

/** A 40 MB scanned copy (a PDF padded with an inert stream): too big to keep, cheap to build. */
export function bigAttachment(): HostileEmail {
  const pad = Buffer.alloc(40 << 20, 0x20);
  const pdf = Buffer.concat([
    Buffer.from(`%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[]/Count 0>> endobj\n3 0 obj <</Length ${pad.length}>> stream\n`),
    pad,
    Buffer.from("\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"),
  ]);
  return { id: "big-attachment-40mb", threat: "a 40 MB attachment", flag: null, eml: submission({ id: "big-attachment" }, [attachment("scan.pdf", "application/pdf", pdf)]) };
}

/** The From name and Subject carry CR/LF and a Bcc in encoded words. */
export function headerInjection(m: Materials): HostileEmail {
  return {
    id: "header-injection",
    threat: "CR/LF and Bcc injected through encoded words in From and Subject",
    flag: null,
    eml: submission(
      {
        id: "header-injection",
        from: `${encodedWord("张三\r\nBcc: attacker@evil.example\r\nX-Injected: 1")} <apply@cts.example.org>`,
        subject: encodedWord("项目申报\r\nBcc: attacker@evil.example\r\n\r\nInjected body line"),
      },
      [wordPart(m), scanPart(m)],
    ),
  };
}

/** Reply-To on another domain than From: a receipt there would be backscatter. */
export function replyToElsewhere(m: Materials): HostileEmail {
  return {
    id: "reply-to-other-domain",
    threat: "Reply-To in another domain than From",
    flag: null,
    eml: submission({ id: "reply-to-other-domain", from: "gjb@cts.example.org", extra: ["Reply-To: collector@harvest-replies.example.net"] }, [wordPart(m), scanPart(m)]),
  };
}

/** A Subject that is one unfolded line of 1 MiB of encoded words. */
export function longSubject(m: Materials): HostileEmail {
  const word = `${encodedWord("申报材料")} `;
  return {
    id: "header-1mb-line",
    threat: "a 1 MiB Subject line",
    flag: null,
    eml: submission({ id: "header-1mb-line", subject: word.repeat(Math.ceil((1 << 20) / word.length)) }, [wordPart(m), scanPart(m)]),
  };
}

/** Subject, From name, the form's file name and the body as raw 8-bit GBK, as old Chinese mail clients send. */
export function rawGbkHeaders(m: Materials): HostileEmail {
  const gbk = (s: string) => iconv.encode(s, "gbk");
  return {
    id: "raw-8bit-gbk-headers",
    threat: "raw 8-bit GBK headers and file name",
    flag: null,
    eml: submission(
      {
        id: "raw-8bit-gbk-headers",
        from: Buffer.concat([gbk("中国农学会"), Buffer.from(" <apply@cts.example.org>")]),
        subject: gbk("2026年度双边科技人文交流机制重点项目申报-中国农学会"),
      },
      [attachment("", "application/octet-stream", m.docx, Buffer.concat([Buffer.from('attachment; filename="'), gbk("申报书-中国农学会.docx"), Buffer.from('"')])), scanPart(m)],
      { headers: ["Content-Type: text/plain; charset=gbk", "Content-Transfer-Encoding: 8bit"], body: gbk("您好，附件为申报书，请查收。") },
    ),
  };
}

const mailOf = (id: string, parts: Part[]) => submission({ id }, parts);

/** Word forms that are bombs, carry entities, are broken or lie about their type; each with the sample's scan. */
export function wordThreats(m: Materials): HostileEmail[] {
  const xml = documentXml(m.docx);
  const withWord = (id: string, threat: string, flag: string, docx: Buffer, name = "申报书.docx"): HostileEmail => ({
    id,
    threat,
    flag,
    eml: mailOf(id, [attachment(name, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx), scanPart(m)]),
  });
  const laughs = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join("");
  const contentTypes = unzipSync(new Uint8Array(m.docx), { filter: (f) => f.name === "[Content_Types].xml" });
  return [
    withWord("docx-zipbomb", ".docx whose document.xml inflates to 100 MiB", "suspicious-attachment", spacesBomb("word/document.xml", 100 << 20, contentTypes)),
    withWord(
      "docx-entrycount-bomb",
      ".docx with 1500 extra entries",
      "suspicious-attachment",
      rezip(m.docx, Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`customXml/item${i}.xml`, "<x/>"]))),
    ),
    withWord("docx-xxe", "document.xml reads /etc/passwd through an external entity", "suspicious-attachment", rezip(m.docx, { "word/document.xml": withEntity(xml, '<!ENTITY xxe SYSTEM "file:///etc/passwd">', "xxe") })),
    withWord("docx-billion-laughs", "document.xml expands an entity 10^9 times", "suspicious-attachment", rezip(m.docx, { "word/document.xml": withEntity(xml, laughs, "lol9") })),
    withWord("docx-broken-xml", "document.xml cut off mid-element", "unreadable-attachment", rezip(m.docx, { "word/document.xml": xml.slice(0, Math.floor((xml.length * 2) / 3)) })),
  ];
}

/** Scanned copies that are executables, pixel bombs, active PDFs or endless; each with the sample's Word form. */
export function scanThreats(m: Materials): HostileEmail[] {
  const withScan = (id: string, threat: string, flag: string | null, scan: Part): HostileEmail => ({ id, threat, flag, eml: mailOf(id, [wordPart(m), scan]) });
  return [
    withScan("scan-is-exe", "the scanned copy is a Windows executable", "suspicious-attachment", attachment("签字盖章扫描件.pdf", "application/pdf", EXE)),
    withScan("jpeg-decompression-bomb", "a JPEG that claims 30000 × 30000 pixels", "suspicious-attachment", attachment("扫描件.jpg", "image/jpeg", claimDimensions(m.pageJpeg, 30000, 30000))),
    withScan("pdf-javascript", "a PDF that runs JavaScript when opened", "suspicious-attachment", attachment("扫描件.pdf", "application/pdf", blankPdf(1, "/OpenAction << /S /JavaScript /JS (app.alert\\('HARMLESS-MARKER'\\)) >> "))),
    withScan("pdf-many-pages", "a scanned copy of 2000 blank pages", null, attachment("扫描件.pdf", "application/pdf", blankPdf(2000))),
    {
      id: "zip-archive-bomb",
      threat: "a .zip whose scan inflates to 100 MiB",
      flag: "suspicious-attachment",
      eml: mailOf("zip-archive-bomb", [wordPart(m), attachment("材料.zip", "application/zip", spacesBomb("盖章扫描件.pdf", 100 << 20))]),
    },
  ];
}

/** Hostile names, structure and headers around the sample's real form and scan. */
export function mailThreats(m: Materials): HostileEmail[] {
  const names = (id: string, threat: string, word: Line, scan: Line): HostileEmail => ({
    id,
    threat,
    flag: null,
    eml: mailOf(id, [
      attachment("", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", m.docx, word),
      attachment("", "application/pdf", m.pdf, scan),
    ]),
  });
  let nested: Part = { headers: ['Content-Type: multipart/mixed; boundary="n0"'], body: join(multipart([wordPart(m), scanPart(m)], "n0")) };
  for (let depth = 1; depth < 200; depth++) nested = { headers: [`Content-Type: multipart/mixed; boundary="n${depth}"`], body: join(multipart([nested], `n${depth}`)) };
  const notes = Array.from({ length: 498 }, (_, i) => attachment(`附件说明-${i + 1}.txt`, "text/plain", Buffer.from(`说明 ${i + 1}\n`)));
  return [
    names("fn-path-traversal", "file names that climb out of the folder", 'attachment; filename="../../etc/cron.d/x.docx"', 'attachment; filename="..\\..\\..\\Windows\\Start Menu\\Programs\\Startup\\x.pdf"'),
    names("fn-absolute", "absolute file names", 'attachment; filename="/tmp/x.docx"', 'attachment; filename="/tmp/x.pdf"'),
    names(
      "fn-nul-crlf",
      "NUL and CR/LF in file names",
      `attachment; filename="${encodedWord("申报书\u0000.pdf\r\nX-Injected: 1.docx")}"`,
      `attachment; filename*=UTF-8''${encodeURIComponent("scan\r\n\r\n<b>x</b>\u0000.pdf")}`,
    ),
    names("fn-300-chars", "a 300-character file name", `attachment; filename*=UTF-8''${encodeURIComponent(`${"申".repeat(295)}.docx`)}`, 'attachment; filename="scan.pdf"'),
    names("fn-windows-reserved", "Windows device names", 'attachment; filename="CON.docx"', 'attachment; filename="AUX.pdf"'),
    { id: "many-attachments", threat: "500 attachments", flag: null, eml: mailOf("many-attachments", [wordPart(m), scanPart(m), ...notes]) },
    { id: "mime-deep-nesting", threat: "form and scan under 200 nested multiparts", flag: null, eml: mailOf("mime-deep-nesting", [nested]) },
    longSubject(m),
    headerInjection(m),
    replyToElsewhere(m),
    rawGbkHeaders(m),
    // Read by its content; the name that lies is noted for reviewers (a flag the receipt leaves out).
    {
      id: "doc-is-zip",
      threat: "a .docx sent under a .doc name",
      flag: "suspicious-attachment",
      eml: mailOf("doc-is-zip", [attachment("申报书.doc", "application/msword", m.docx), scanPart(m)]),
    },
  ];
}

/** Every built hostile email: Word, scan, archive, name and header threats, and a 40 MB attachment. */
export async function hostileEmails(): Promise<HostileEmail[]> {
  const m = await materials();
  return [...wordThreats(m), ...scanThreats(m), ...mailThreats(m), bigAttachment()];
}
