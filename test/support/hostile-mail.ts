// Emails from hostile senders, one per finding, built at test time around the
// sample's real form and scan (bombs are made here, never stored).
import { simpleParser } from "mailparser";
import { manyTinyPages, textLayerBomb } from "../../packages/scan/test/pdf-bombs.js";
import { attachment, documentXml, materials, rezip, submission, type Envelope } from "./hostile.js";
import { sampleEmail } from "./samples.js";

const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const word = (content: Buffer, name = "申报书.docx") => attachment(name, DOCX, content);
const scan = (content: Buffer, name = "申报书盖章扫描件.pdf") => attachment(name, "application/pdf", content);

/** The sample's unit and project (msg-004), and another unit's form (msg-022). */
export async function samples(): Promise<{ form: Buffer; scan: Buffer; otherForm: Buffer; project: string; unit: string }> {
  const m = await materials();
  const other = await simpleParser(await sampleEmail("guoyunlong", "msg-022.eml"));
  return {
    form: m.docx,
    scan: m.pdf,
    otherForm: other.attachments.find((x) => x.filename?.endsWith(".docx"))!.content,
    project: "与美国电气电子工程师学会建立人类健康领域机制性合作",
    unit: "中国地理学会",
  };
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
  const env = (id: string, e: Partial<Envelope> = {}): Envelope => ({ id, from: "apply@unit.example.org", ...e });
  const xml = documentXml(s.form);
  const renamed = (project: string) => rezip(s.form, { "word/document.xml": xml.replace(s.project, project) });
  // Identical attachments are taken once: each of the three pairs is a byte apart.
  const pairs = ["1", "2", "3"].flatMap((n) => [
    word(rezip(s.form, { [`customXml/copy${n}.xml`]: `<copy n="${n}"/>` }), `申报书${n}.docx`),
    scan(Buffer.concat([s.scan, Buffer.from(`\n%copy ${n}\n`)]), `申报书盖章扫描件${n}.pdf`),
  ]);
  const dde = '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>';
  const macro = rezip(s.form, { "word/vbaProject.bin": "placeholder", "word/document.xml": xml.replace("<w:body>", `<w:body>${dde}`) });
  // An OpenAction with a script in the real scan's catalog (pdf-lib reads objects in order, whatever the offsets say).
  const pdfJs = Buffer.from(s.scan.toString("latin1").replace(/\/Type\s*\/Catalog/, "/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert\\('HARMLESS'\\))>>"), "latin1");
  const froms = Array.from({ length: 2_000 }, (_, i) => `u${i}@victims.example.org`).join(", ");
  const notes = Array.from({ length: 10_000 }, (_, i) => attachment(`f${i}.txt`, "text/plain", Buffer.from("x")));

  const cases: [string, Envelope, ReturnType<typeof attachment>[]][] = [
    // 1: two ids that fold alike, and one id reused with other content.
    ["h01a-fold-space", env("fold-a", { messageId: "<CAF=victim 1@mail.example.org>" }), [word(s.form), scan(s.scan)]],
    ["h01b-fold-underscore", env("fold-b", { messageId: "<CAF=victim_1@mail.example.org>", from: "other@unit2.example.org" }), [word(s.otherForm)]],
    ["h01c-reused-id-first", env("reused-a", { messageId: "<reused@unit.example.org>" }), [word(s.otherForm)]],
    ["h01d-reused-id-second", env("reused-b", { messageId: "<reused@unit.example.org>", from: "someone@else.example.org", date: "Tue, 06 Jan 2026 10:00:00 +0800" }), [word(s.form), scan(s.scan)]],
    // 2: the owner sends first; an unrelated sender sends the same unit's project later.
    ["h02a-owner", env("owner", { messageId: "<owner@unit.example.org>", from: "owner@geo.example.org", date: "Wed, 07 Jan 2026 09:00:00 +0800" }), [word(renamed("中俄青年地理学家对话项目"))]],
    ["h02b-takeover", env("takeover", { messageId: "<takeover@evil.example>", from: "attacker@evil.example", date: "Thu, 08 Jan 2026 09:00:00 +0800" }), [word(renamed("中俄青年地理学家对话项目"), "申报书-更新.docx")]],
    // 3 and 11: PDFs past every bound.
    ["h03a-tiny-pages", env("tiny"), [word(s.otherForm), scan(manyTinyPages(20_000), "扫描件.pdf")]],
    ["h11-text-layer-bomb", env("bomb"), [word(s.otherForm), scan(await textLayerBomb(300), "扫描件.pdf")]],
    // 4: 90,000 header fields before Content-Type.
    ["h04-header-flood", env("flood", { messageId: "<flood@unit.example.org>", head: Array.from({ length: 90_000 }, (_, i) => `X-Pad-${i}: v`) }), [word(s.otherForm)]],
    // 5: extensions behind format characters.
    [
      "h05-bidi-names",
      env("bidi"),
      [
        word(s.otherForm),
        attachment("说明.\u2069hta", "application/octet-stream", Buffer.from("<script>HARMLESS</script>")),
        attachment("快捷方式.pdf.\u2066lnk", "application/octet-stream", Buffer.from("L\0\0\0HARMLESS")),
        attachment("申报书\u2067xcod.\u2069scr", "application/octet-stream", s.form),
      ],
    ],
    // 6: three form-and-scan pairs in one email.
    ["h06-three-pairs", env("three", { messageId: "<three@unit.example.org>" }), pairs],
    // 7: instructions and a link in the project name; a forged From the server failed.
    ["h07a-phishing-name", env("phish", { messageId: "<phish@unit.example.org>", from: "phisher@unit3.example.org" }), [word(renamed(PHISH))]],
    ["h07b-forged-from", env("forged", { messageId: "<forged@evil.example>", from: "director@victim.example.org", head: FORGED_FROM_RESULTS }), [word(renamed(PHISH))]],
    // 9: active content in the Word form and in the scan.
    ["h09a-word-macros-dde", env("macro", { messageId: "<macro@unit.example.org>" }), [word(macro)]],
    ["h09b-pdf-openaction", env("pdfjs"), [word(s.form), scan(pdfJs, "扫描件.pdf")]],
    // Degraded: our own address in disguise, 2,000 From addresses, 10,000 MIME parts.
    ["h12-own-address", env("own", { from: "GuoYunLong+intake@cast.org.cn" }), [word(s.otherForm)]],
    ["h13-2000-from", env("many-from", { from: froms }), [word(s.otherForm)]],
    ["h14-10000-parts", env("parts", { messageId: "<parts@unit.example.org>" }), notes],
  ];
  return cases.map(([id, e, parts]) => ({ id, raw: submission(e, parts) }));
}
