import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseMessage } from "../src/index.js";
import { b64, HEAD, mixed } from "./fixtures.js";
import { eml } from "./shared.js";
import { buildZip } from "./zip-builder.js";

// Real-format samples of the scan package (recipes in its fixtures/formats/README.md) and a LibreOffice .docx.
const scanFixtures = path.join(import.meta.dirname, "../../scan/test/fixtures/formats");
const sample = (name: string) => readFileSync(path.join(scanFixtures, name));
const docx = readFileSync(path.join(import.meta.dirname, "../../form/test/fixtures/libreoffice.docx"));

const part = (name: string, content: Buffer, type = "application/octet-stream") => [
  `Content-Type: ${type}; name="${name}"`,
  "Content-Transfer-Encoding: base64",
  `Content-Disposition: attachment; filename="${name}"`,
  "",
  b64(content),
];
const withHeaders = (subject: string, body: string, parts: (string | Buffer)[][]) =>
  eml(mixed(HEAD, parts).map((l) => (l === "Subject: 申报材料" ? `Subject: ${subject}` : l === "您好，附件为申报材料，请查收。" ? body : l)));

describe("scans as phones and office scanners send them", () => {
  for (const [name, type] of [["扫描件.bmp", "bmp"], ["扫描件.gif", "gif"], ["扫描件.webp", "webp"], ["IMG_0001.HEIC", "heif"]] as const) {
    it(`takes ${name} as a scanned copy, so the email is a submission`, async () => {
      const file = { bmp: "page-rle.bmp", gif: "page.gif", webp: "page.webp", heif: "page.heic" }[type];
      const p = await parseMessage(withHeaders("材料", "请查收。", [part(name, sample(file))]));
      expect(p.attachments.map((a) => [a.type, a.role])).toEqual([[type, "scan"]]);
      expect(p.flags).toEqual([]);
      expect(p.kind).toBe("submission");
    });
  }

  it("reads a PDF named .jpg by its content and notes the name for reviewers", async () => {
    const p = await parseMessage(eml(mixed(HEAD, [part("扫描件.jpg", sample("ccitt-g4.pdf"))])));
    expect(p.attachments[0]).toMatchObject({ type: "pdf", role: "scan", nameMismatch: "文件名为.jpg，内容为PDF文件" });
    expect(p.flags).toEqual([]);
  });
});

describe("what is a submission", () => {
  const textZip = buildZip([{ name: Buffer.from("说明.txt"), content: Buffer.from("见附件") }]);

  it("is any email that says 申报 and carries a file, readable or not", async () => {
    expect((await parseMessage(withHeaders("2026年项目申报", "请查收。", [part("材料.zip", textZip)]))).kind).toBe("submission");
    expect((await parseMessage(withHeaders("材料", "附件为申报书。", [part("x.dat", Buffer.from([1, 2, 3, 0, 4]))]))).kind).toBe("submission");
  });

  it("leaves a question with no file, or a file without the word, an inquiry", async () => {
    expect((await parseMessage(eml([...HEAD.map((h) => (h.startsWith("Subject") ? "Subject: 申报问题" : h)), "", "请问截止时间？"]))).kind).toBe("inquiry");
    expect((await parseMessage(withHeaders("预算表格式", "请看附件。", [part("表.zip", textZip)]))).kind).toBe("inquiry");
  });
});

describe("Word files under another Word name", () => {
  it("reads a .docx named .doc and notes it for reviewers only (reason renamed)", async () => {
    const p = await parseMessage(eml(mixed(HEAD, [part("申报书.doc", docx, "application/msword")])));
    expect(p.attachments[0]).toMatchObject({ type: "docx", role: "word", nameMismatch: "文件名为.doc，内容为Word .docx文档" });
    expect(p.flags.map((f) => [f.code, f.reason])).toEqual([["suspicious-attachment", "renamed"]]);
  });

  it("hands a truncated .docx to the Word reader, not to suspicion", async () => {
    const p = await parseMessage(eml(mixed(HEAD, [part("申报书.docx", docx.subarray(0, 1500))])));
    expect(p.attachments[0]?.role).toBe("word");
    expect(p.flags.filter((f) => f.code === "suspicious-attachment")).toEqual([]);
  });
});

describe("the same bytes twice", () => {
  it("counts a file sent twice, or again in a forwarded copy, once", async () => {
    const inner = Buffer.from(eml(mixed(HEAD, [part("申报书.docx", docx), part("扫描件.pdf", sample("ccitt-g4.pdf"))])).toString("latin1").replaceAll("=_b1", "=_b2"), "latin1");
    const outer = eml(
      mixed(HEAD, [
        part("申报书.docx", docx),
        part("扫描件.pdf", sample("ccitt-g4.pdf")),
        part("扫描件(1).pdf", sample("ccitt-g4.pdf")),
        ["Content-Type: message/rfc822", "", inner],
      ]),
    );
    const p = await parseMessage(outer);
    expect(p.attachments.filter((a) => a.role !== "other").map((a) => a.name)).toEqual(["申报书.docx", "扫描件.pdf"]);
    expect(p.attachments[1]?.duplicates).toEqual(["扫描件(1).pdf"]);
  });
});
