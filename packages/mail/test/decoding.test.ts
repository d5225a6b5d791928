import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { parseMessage } from "../src/index.js";
import { b64, HEAD, mixed, realFiles, type RealFiles } from "./fixtures.js";
import { eml } from "./shared.js";

let files: RealFiles;
beforeAll(async () => {
  files = await realFiles();
});

const gbk = (s: string): Buffer => iconv.encode(s, "gbk");
const pct = (buf: Buffer): string => [...buf].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");

describe("file names as Chinese mail clients send them", () => {
  it("joins RFC 2231 continuations before decoding, even when a character is split across parts", async () => {
    const bytes = Buffer.from("申报书-中国农学会.docx", "utf8");
    // Cut inside the second character's UTF-8 sequence.
    const raw = eml(
      mixed(HEAD, [
        [
          "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "Content-Transfer-Encoding: base64",
          `Content-Disposition: attachment; filename*0*=utf-8''${pct(bytes.subarray(0, 4))};`,
          ` filename*1*=${pct(bytes.subarray(4, 11))};`,
          ` filename*2*=${pct(bytes.subarray(11))}`,
          "",
          b64(files.docx),
        ],
      ]),
    );
    const p = await parseMessage(raw);
    expect(p.attachments.map((a) => a.name)).toEqual(["申报书-中国农学会.docx"]);
    expect(p.attachments[0]!.role).toBe("word");
  });

  it("decodes RFC 2047 words inside a quoted filename (Foxmail, QQ), in UTF-8 and GBK", async () => {
    const utf8Word = `=?UTF-8?B?${Buffer.from("申报书.docx").toString("base64")}?=`;
    const gbkWord = `=?GBK?B?${gbk("盖章扫描件.pdf").toString("base64")}?=`;
    const raw = eml(
      mixed(HEAD, [
        ["Content-Type: application/octet-stream", "Content-Transfer-Encoding: base64", `Content-Disposition: attachment; filename="${utf8Word}"`, "", b64(files.docx)],
        ["Content-Type: application/pdf", "Content-Transfer-Encoding: base64", `Content-Disposition: attachment; filename="${gbkWord}"`, "", b64(files.pdf)],
      ]),
    );
    const p = await parseMessage(raw);
    expect(p.attachments.map((a) => [a.name, a.role])).toEqual([
      ["申报书.docx", "word"],
      ["盖章扫描件.pdf", "scan"],
    ]);
  });

  it("joins adjacent encoded words that split a character (UTF-8 base64, GB2312 Q) in Subject and filename", async () => {
    const bytes = Buffer.from("申报书-中国农学会.docx");
    const u = `=?UTF-8?B?${bytes.subarray(0, 4).toString("base64")}?=\r\n =?UTF-8?B?${bytes.subarray(4).toString("base64")}?=`;
    const g = gbk("申报书-中国农学会.docx");
    const q = (b: Buffer): string => [...b].map((x) => `=${x.toString(16).toUpperCase().padStart(2, "0")}`).join("");
    const gq = `=?GB2312?Q?${q(g.subarray(0, 3))}?=\r\n =?GB2312?Q?${q(g.subarray(3))}?=`;
    const raw = eml(
      mixed(["From: a@example.org", `Subject: ${u}`, "Date: Mon, 05 Jan 2026 10:00:00 +0800"], [
        ["Content-Type: application/octet-stream", "Content-Transfer-Encoding: base64", `Content-Disposition: attachment; filename="${u}"`, "", b64(files.docx)],
        ["Content-Type: application/octet-stream", "Content-Transfer-Encoding: base64", `Content-Disposition: attachment; filename="${gq}"`, "", b64(files.doc)],
      ]),
    );
    const p = await parseMessage(raw);
    expect(p.subject).toBe("申报书-中国农学会.docx");
    expect(p.attachments.map((a) => [a.name, a.storedName])).toEqual([
      ["申报书-中国农学会.docx", "申报书-中国农学会.docx"],
      ["申报书-中国农学会.docx", "申报书-中国农学会-2.docx"],
    ]);
  });

  it("reads raw 8-bit GBK headers and file names, and a GB2312-labelled body holding GBK-only characters", async () => {
    const raw = eml([
      Buffer.concat([Buffer.from("From: "), gbk("王小明"), Buffer.from(" <wang@example.org>")]),
      "To: guoyunlong@cast.org.cn",
      Buffer.concat([Buffer.from("Subject: "), gbk("关于报送申报书的函")]),
      "Date: Mon, 05 Jan 2026 10:00:00 +0800",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="=_b1"',
      "",
      "--=_b1",
      "Content-Type: text/plain; charset=gb2312",
      "Content-Transfer-Encoding: 8bit",
      "",
      // 镕 and 堃 are in GBK but not in GB2312: clients label GBK text gb2312 all the time.
      gbk("朱镕基 王堃 申报材料请查收"),
      "--=_b1",
      Buffer.concat([Buffer.from('Content-Type: application/msword; name="'), gbk("申报书.doc"), Buffer.from('"')]),
      "Content-Transfer-Encoding: base64",
      Buffer.concat([Buffer.from('Content-Disposition: attachment; filename="'), gbk("申报书.doc"), Buffer.from('"')]),
      "",
      b64(files.doc),
      "--=_b1--",
    ]);
    const p = await parseMessage(raw);
    expect(p.subject).toBe("关于报送申报书的函");
    expect(p.from).toEqual({ address: "wang@example.org", name: "王小明" });
    expect(p.text).toContain("朱镕基 王堃 申报材料请查收");
    expect(p.attachments.map((a) => [a.name, a.type, a.role])).toEqual([["申报书.doc", "ole", "word"]]);
    expect(p.kind).toBe("submission");
  });

  it.each(["Content-Type: text/plain", "Content-Type: text/plain; charset=us-ascii", "Content-Type: text/plain; charset=utf-8"])(
    "reads an 8-bit GBK body that declares no usable charset (%s)",
    async (ct) => {
      const raw = eml(
        mixed(HEAD, [
          [ct, "Content-Transfer-Encoding: 8bit", "", gbk("请问申报截止时间？谢谢")],
          ["Content-Type: application/pdf", "Content-Transfer-Encoding: base64", 'Content-Disposition: attachment; filename="a.pdf"', "", b64(files.pdf)],
        ]),
      );
      const p = await parseMessage(raw);
      expect(p.text).toContain("请问申报截止时间？谢谢");
      expect(p.attachments.map((a) => a.name)).toEqual(["a.pdf"]);
    },
  );

  it("leaves Latin-1 text alone (it is not GBK)", async () => {
    const raw = eml(["From: a@example.org", "Subject: x", "Content-Type: text/plain", "Content-Transfer-Encoding: 8bit", "", Buffer.from("Caf\xe9 cr\xe8me, d\xe9j\xe0 vu.", "latin1")]);
    const p = await parseMessage(raw);
    expect(p.text).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("finds an inline part that has no Content-Disposition", async () => {
    const raw = eml(
      mixed(HEAD, [["Content-Type: application/pdf; name=scan.pdf", "Content-Transfer-Encoding: base64", "", b64(files.pdf)]]),
    );
    const p = await parseMessage(raw);
    expect(p.attachments.map((a) => [a.name, a.role])).toEqual([["scan.pdf", "scan"]]);
  });

  it("names an attachment that came without a name after its content", async () => {
    const raw = eml(mixed(HEAD, [["Content-Type: application/octet-stream", "Content-Transfer-Encoding: base64", "", b64(files.pdf)]]));
    const p = await parseMessage(raw);
    expect(p.attachments.map((a) => [a.name, a.type, a.declaredType])).toEqual([["part-1.pdf", "pdf", "application/octet-stream"]]);
  });
});

describe("dates", () => {
  const simple = (date: string | null): Buffer =>
    eml([
      "Received: from mx.example.org by mx.cast.org.cn; Tue, 13 Jan 2026 09:00:00 +0800 (CST)",
      "Received: from pc by mx.example.org; Tue, 13 Jan 2026 08:59:00 +0800",
      "From: a@example.org",
      ...(date === null ? [] : [`Date: ${date}`]),
      "Subject: 问题",
      "",
      "请问截止时间？",
    ]);

  it("is null when the Date header is missing or unreadable, never 'now'", async () => {
    expect((await parseMessage(simple(null))).date).toBeNull();
    expect((await parseMessage(simple("next Tuesday-ish"))).date).toBeNull();
  });

  it("reads a normal date (with a zone comment) and the newest Received time", async () => {
    const p = await parseMessage(simple("Tue, 13 Jan 2026 08:58:00 +0800 (CST)"));
    expect(p.date?.toISOString()).toBe("2026-01-13T00:58:00.000Z");
    expect(p.receivedAt?.toISOString()).toBe("2026-01-13T01:00:00.000Z");
  });

  it("falls back to Date for receivedAt when no Received header has a time", async () => {
    const p = await parseMessage(eml(["From: a@example.org", "Date: Tue, 13 Jan 2026 08:58:00 +0800", "Subject: x", "", "y"]));
    expect(p.receivedAt?.toISOString()).toBe("2026-01-13T00:58:00.000Z");
  });
});
