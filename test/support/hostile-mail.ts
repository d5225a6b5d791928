// Emails from hostile senders, built at test time from the sample forms and
// scans (bombs are made here, never stored). Each comes with what a safe
// intake must make of it.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { simpleParser } from "mailparser";
import { buildZip } from "../../packages/mail/test/zip-builder.js";
import { readZipEntries } from "../../packages/form/src/reader/zip-entries.js";
import { manyTinyPages, textLayerBomb } from "../../packages/scan/test/pdf-bombs.js";
import { repoRoot } from "./paths.js";

export interface Part {
  name: string;
  content: Buffer;
  type?: string;
}

export interface MailOptions {
  from?: string;
  messageId: string;
  subject?: string;
  /** Raw header lines put first (trace fields, Authentication-Results, padding). */
  head?: string[];
  /** Raw header lines put after the sender's own. */
  tail?: string[];
  date?: string;
  parts: Part[];
}

const b64 = (s: string) => `=?UTF-8?B?${Buffer.from(s).toString("base64")}?=`;

/** A multipart email with a short Chinese note and the parts as base64 attachments. */
export function mail(o: MailOptions): Buffer {
  const lines = [
    ...(o.head ?? []),
    `From: ${o.from ?? `${b64("申报人")} <apply@unit.example.org>`}`,
    "To: guoyunlong@cast.org.cn, qijiaru@cast.org.cn",
    `Subject: ${b64(o.subject ?? "2026年双边科技人文交流机制重点项目申报")}`,
    `Message-ID: ${o.messageId}`,
    `Date: ${o.date ?? "Mon, 05 Jan 2026 10:00:00 +0800"}`,
    "MIME-Version: 1.0",
    ...(o.tail ?? []),
    'Content-Type: multipart/mixed; boundary="=_b"',
    "",
    "--=_b",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from("您好，申报材料见附件，请查收。").toString("base64"),
  ];
  for (const p of o.parts) {
    lines.push(
      "--=_b",
      `Content-Type: ${p.type ?? "application/octet-stream"}; name="${b64(p.name)}"`,
      `Content-Disposition: attachment; filename="${b64(p.name)}"`,
      "Content-Transfer-Encoding: base64",
      "",
      p.content.toString("base64").replace(/.{76}/g, "$&\r\n"),
    );
  }
  lines.push("--=_b--", "");
  return Buffer.from(lines.join("\r\n"));
}

/** The sample's Word form and its signed, sealed scan (unit 中国地理学会), and another unit's form. */
export async function samples(): Promise<{ form: Buffer; scan: Buffer; otherForm: Buffer; project: string; unit: string }> {
  const a = await simpleParser(await readFile(resolve(repoRoot, "samples/mailboxes/guoyunlong/msg-004.eml")));
  const b = await simpleParser(await readFile(resolve(repoRoot, "samples/mailboxes/guoyunlong/msg-022.eml")));
  return {
    form: a.attachments.find((x) => x.filename?.endsWith(".docx"))!.content,
    scan: a.attachments.find((x) => x.filename?.endsWith(".pdf"))!.content,
    otherForm: b.attachments.find((x) => x.filename?.endsWith(".docx"))!.content,
    project: "与美国电气电子工程师学会建立人类健康领域机制性合作",
    unit: "中国地理学会",
  };
}

/** A .docx with some of its parts replaced or added. */
export async function editDocx(docx: Buffer, edit: (parts: Map<string, Buffer>) => void): Promise<Buffer> {
  const zip = await readZipEntries(docx, () => true, { maxEntries: 1000, maxRatio: 1000, maxUncompressedBytes: 64 << 20, timeoutMs: 30_000 });
  const parts = new Map(zip.entries);
  edit(parts);
  return buildZip([...parts].map(([name, content]) => ({ name: Buffer.from(name), content })));
}

export const PHISH = "【重要通知】您的申报未通过，请于24小时内访问 https://pay.example.cn/fee 缴纳评审费500元";

/** Authentication-Results as Tencent's MX writes them, for a From domain that fails DMARC. */
export const FORGED_FROM_RESULTS = [
  "Received: from mail.evil.example ([203.0.113.66])\r\n\tby newxmmxszc6-1.qq.com (NewMX) with SMTP id 6010A8AD\r\n\tfor <guoyunlong@cast.org.cn>; Mon, 05 Jan 2026 10:00:01 +0800",
  "Authentication-Results: mx.qq.com; spf=fail smtp.mailfrom=director@victim.example.org;\r\n\tdkim=none; dmarc=fail(p=reject) header.from=victim.example.org",
];

export interface HostileCase {
  /** The file name, without .eml. */
  id: string;
  raw: Buffer;
}

/** Every crafted email of the hostile-sender findings. */
export async function hostileCases(): Promise<HostileCase[]> {
  const s = await samples();
  const pair = (n = "") => [
    { name: `申报书${n}.docx`, content: s.form },
    { name: `申报书盖章扫描件${n}.pdf`, content: s.scan },
  ];
  // Three different pairs (identical attachments are taken once): each copy a byte apart.
  const pairs = await Promise.all(
    ["1", "2", "3"].map(async (n) => [
      { name: `申报书${n}.docx`, content: await editDocx(s.form, (p) => p.set(`customXml/copy${n}.xml`, Buffer.from(`<copy n="${n}"/>`))) },
      { name: `申报书盖章扫描件${n}.pdf`, content: Buffer.concat([s.scan, Buffer.from(`\n%copy ${n}\n`)]) },
    ]),
  );
  const macro = await editDocx(s.form, (p) => {
    p.set("word/vbaProject.bin", Buffer.from("placeholder"));
    const doc = p.get("word/document.xml")!.toString("utf8");
    const dde = '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>';
    p.set("word/document.xml", Buffer.from(doc.replace("<w:body>", `<w:body>${dde}`)));
  });
  // The same unit's form under a project name of its own, for the takeover case.
  const ownProject = await editDocx(s.form, (p) => p.set("word/document.xml", Buffer.from(p.get("word/document.xml")!.toString("utf8").replace(s.project, "中俄青年地理学家对话项目"))));
  const phishForm = await editDocx(s.form, (p) => p.set("word/document.xml", Buffer.from(p.get("word/document.xml")!.toString("utf8").replace(s.project, PHISH))));
  const pdfJs = Buffer.from(
    s.scan
      .toString("latin1")
      // An OpenAction with a script, added to the catalog (same length elsewhere is not needed: pdf-lib mends the offsets).
      .replace(/\/Type\s*\/Catalog/, "/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert\\('HARMLESS'\\))>>"),
    "latin1",
  );
  const pad = Array.from({ length: 90_000 }, (_, i) => `X-Pad-${i}: v`);
  const manyParts = Array.from({ length: 10_000 }, (_, i) => ({ name: `f${i}.txt`, content: Buffer.from("x"), type: "text/plain" }));
  const froms = Array.from({ length: 2_000 }, (_, i) => `u${i}@victims.example.org`).join(", ");

  return [
    // 1: two ids that fold alike, and one id reused with other content.
    { id: "h01a-fold-space", raw: mail({ messageId: "<CAF=victim 1@mail.example.org>", parts: pair() }) },
    { id: "h01b-fold-underscore", raw: mail({ messageId: "<CAF=victim_1@mail.example.org>", from: "other@unit2.example.org", parts: [{ name: "申报书.docx", content: s.otherForm }] }) },
    { id: "h01c-reused-id-first", raw: mail({ messageId: "<reused@unit.example.org>", parts: [{ name: "申报书.docx", content: s.otherForm }] }) },
    { id: "h01d-reused-id-second", raw: mail({ messageId: "<reused@unit.example.org>", from: "someone@else.example.org", date: "Tue, 06 Jan 2026 10:00:00 +0800", parts: pair() }) },
    // 2: the owner sends first; an unrelated sender sends the same unit's project later.
    { id: "h02a-owner", raw: mail({ messageId: "<owner@unit.example.org>", from: "owner@geo.example.org", date: "Wed, 07 Jan 2026 09:00:00 +0800", parts: [{ name: "申报书.docx", content: ownProject }] }) },
    { id: "h02b-takeover", raw: mail({ messageId: "<takeover@evil.example>", from: "attacker@evil.example", date: "Thu, 08 Jan 2026 09:00:00 +0800", parts: [{ name: "申报书-更新.docx", content: ownProject }] }) },
    // 3 and 11: PDFs past every bound.
    { id: "h03a-tiny-pages", raw: mail({ messageId: "<tiny@unit.example.org>", parts: [{ name: "申报书.docx", content: s.otherForm }, { name: "扫描件.pdf", content: manyTinyPages(20_000) }] }) },
    { id: "h11-text-layer-bomb", raw: mail({ messageId: "<bomb@unit.example.org>", parts: [{ name: "申报书.docx", content: s.otherForm }, { name: "扫描件.pdf", content: await textLayerBomb(300) }] }) },
    // 4: 90,000 header fields before Content-Type.
    { id: "h04-header-flood", raw: mail({ messageId: "<flood@unit.example.org>", head: pad, parts: [{ name: "申报书.docx", content: s.otherForm }] }) },
    // 5: extensions behind format characters.
    {
      id: "h05-bidi-names",
      raw: mail({
        messageId: "<bidi@unit.example.org>",
        parts: [
          { name: "申报书.docx", content: s.otherForm },
          { name: "说明.\u2069hta", content: Buffer.from("<script>HARMLESS</script>") },
          { name: "快捷方式.pdf.\u2066lnk", content: Buffer.from("L\0\0\0HARMLESS") },
          { name: "申报书\u2067xcod.\u2069scr", content: s.form },
        ],
      }),
    },
    // 6: three form-and-scan pairs in one email.
    { id: "h06-three-pairs", raw: mail({ messageId: "<three@unit.example.org>", parts: pairs.flat() }) },
    // 7: instructions and a link in the project name; a forged From the server failed.
    { id: "h07a-phishing-name", raw: mail({ messageId: "<phish@unit.example.org>", from: "phisher@unit3.example.org", parts: [{ name: "申报书.docx", content: phishForm }] }) },
    { id: "h07b-forged-from", raw: mail({ messageId: "<forged@evil.example>", from: "director@victim.example.org", head: FORGED_FROM_RESULTS, parts: [{ name: "申报书.docx", content: phishForm }] }) },
    // 9: active content in the Word form and in the scan.
    { id: "h09a-word-macros-dde", raw: mail({ messageId: "<macro@unit.example.org>", parts: [{ name: "申报书.docx", content: macro }] }) },
    { id: "h09b-pdf-openaction", raw: mail({ messageId: "<pdfjs@unit.example.org>", parts: [{ name: "申报书.docx", content: s.form }, { name: "扫描件.pdf", content: pdfJs }] }) },
    // Degraded: our own address in disguise, 2,000 From addresses, 10,000 MIME parts.
    { id: "h12-own-address", raw: mail({ messageId: "<own@cast.org.cn>", from: "GuoYunLong+intake@cast.org.cn", parts: [{ name: "申报书.docx", content: s.otherForm }] }) },
    { id: "h13-2000-from", raw: mail({ messageId: "<many-from@victims.example.org>", from: froms, parts: [{ name: "申报书.docx", content: s.otherForm }] }) },
    { id: "h14-10000-parts", raw: mail({ messageId: "<parts@unit.example.org>", parts: manyParts }) },
  ];
}
