// Crafted emails from hostile senders: names that hide their extension,
// header blocks and MIME trees built to drop every attachment.
import { describe, expect, it } from "vitest";
import { parseMessage } from "../src/index.js";
import { buildZip } from "./zip-builder.js";

const docx = buildZip([
  { name: Buffer.from("[Content_Types].xml"), content: Buffer.from('<?xml version="1.0"?><Types/>') },
  { name: Buffer.from("word/document.xml"), content: Buffer.from("<w:document/>") },
]);
const pdf = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

function email(parts: { name: string; content: Buffer; type?: string }[], head = ""): Buffer {
  const lines = [
    head,
    "From: 申报人 <apply@unit.example.org>",
    "To: guoyunlong@cast.org.cn",
    "Subject: =?UTF-8?B?" + Buffer.from("项目申报").toString("base64") + "?=",
    "Message-ID: <crafted@unit.example.org>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "申报材料见附件。",
  ].filter((l, i) => i > 0 || l);
  for (const p of parts) {
    const encoded = `=?UTF-8?B?${Buffer.from(p.name).toString("base64")}?=`;
    lines.push("--b", `Content-Type: ${p.type ?? "application/octet-stream"}; name="${encoded}"`, `Content-Disposition: attachment; filename="${encoded}"`, "Content-Transfer-Encoding: base64", "", p.content.toString("base64"));
  }
  lines.push("--b--", "");
  return Buffer.from(lines.join("\r\n"));
}

describe("names that hide their extension behind invisible characters", () => {
  const cases: [string, string][] = [
    ["说明.\u2069hta", "hta"],
    ["运行.\u200ejs", "js"],
    ["脚本.\u202cps1", "ps1"],
    ["快捷方式.pdf.\u2066lnk", "lnk"],
    ["申报书\u2067xcod.\u2069scr", "scr"],
    ["scan.pdf.\u00adexe", "exe"],
    ["form.docx\u200b.bat ", "bat"],
  ];
  for (const [name, ext] of cases) {
    it(`${JSON.stringify(name)} is judged by its stored name, .${ext}`, async () => {
      const p = await parseMessage(email([{ name, content: ext === "scr" ? docx : pdf }]));
      const a = p.attachments.find((x) => x.name === name)!;
      expect(a.storedName.endsWith(`.${ext}`)).toBe(true);
      expect(a.storedName).not.toMatch(/[\p{Cc}\p{Cf}]/u);
      expect(a.role).toBe("other");
      const flag = p.flags.find((f) => f.file === name);
      expect(flag?.code).toBe("suspicious-attachment");
      expect(flag?.detail).toContain(`.${ext}`);
    });
  }

  it("still takes a plain form and scan as the form and the scan", async () => {
    const p = await parseMessage(email([{ name: "申报书.docx", content: docx }, { name: "扫描件.pdf", content: pdf }]));
    expect(p.attachments.map((a) => a.role)).toEqual(["word", "scan"]);
    expect(p.flags).toEqual([]);
  });
});

describe("header blocks built to push Content-Type past the cut", () => {
  it("90,000 short header fields: the attachments, the sender and the kind survive", async () => {
    const pad = Array.from({ length: 90_000 }, (_, i) => `X-Pad-${i}: v`).join("\r\n");
    const raw = email([{ name: "申报书.docx", content: docx }, { name: "扫描件.pdf", content: pdf }], pad);
    expect(raw.length).toBeGreaterThan(1_000_000);
    const p = await parseMessage(raw);
    expect(p.kind).toBe("submission");
    expect(p.partsUnread).toBe(false);
    expect(p.attachments.map((a) => a.name)).toEqual(["申报书.docx", "扫描件.pdf"]);
    expect(p.from?.address).toBe("apply@unit.example.org");
    expect(p.subject).toBe("项目申报");
    expect(p.messageId).toBe("<crafted@unit.example.org>");
  });

  it("a field repeated past the cut is kept once, within its own cap", async () => {
    const pad = Array.from({ length: 20_000 }, (_, i) => `X-Pad-${i}: v`).join("\r\n");
    const repeats = Array.from({ length: 5_000 }, () => "Subject: again").join("\r\n");
    const p = await parseMessage(email([{ name: "申报书.docx", content: docx }], `${pad}\r\n${repeats}`));
    expect(p.attachments).toHaveLength(1);
    expect(p.headers["subject"]!.length).toBeLessThanOrEqual(4096);
  });
});

describe("MIME trees too big to read stay submissions, marked unread", () => {
  const head = "From: a@unit.example.org\r\nTo: guoyunlong@cast.org.cn\r\nSubject: 项目申报\r\nMessage-ID: <m@unit.example.org>\r\nMIME-Version: 1.0\r\n";

  it("10,000 MIME parts", async () => {
    const parts = Array.from({ length: 10_000 }, (_, i) => `--b\r\nContent-Type: text/plain; name="f${i}.txt"\r\nContent-Disposition: attachment\r\n\r\nx\r\n`).join("");
    const p = await parseMessage(Buffer.from(`${head}Content-Type: multipart/mixed; boundary="b"\r\n\r\n${parts}--b--\r\n`));
    expect(p).toMatchObject({ kind: "submission", partsUnread: true });
    expect(p.flags.map((f) => f.code)).toEqual(["unreadable-attachment"]);
  });

  it("5,000 levels of nesting", async () => {
    let s = "";
    for (let i = 0; i < 5_000; i++) s += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
    s += "Content-Type: text/plain\r\n\r\nhello\r\n";
    for (let i = 4_999; i >= 0; i--) s += `--b${i}--\r\n`;
    const p = await parseMessage(Buffer.from(head + s));
    expect(p).toMatchObject({ kind: "submission", partsUnread: true });
  });

  it("machine mail refused whole is still machine mail", async () => {
    const parts = Array.from({ length: 2_000 }, () => `--b\r\nContent-Type: text/plain\r\n\r\nx\r\n`).join("");
    const raw = Buffer.from(`${head}Auto-Submitted: auto-replied\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${parts}--b--\r\n`);
    const p = await parseMessage(raw);
    expect(p.partsUnread).toBe(true);
    expect(p.kind).toBe("auto-reply");
  });
});
