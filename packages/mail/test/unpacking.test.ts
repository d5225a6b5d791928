import { readFileSync } from "node:fs";
import path from "node:path";
import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { parseMessage } from "../src/index.js";
import { b64, HEAD, mixed, realFiles, type RealFiles } from "./fixtures.js";
import { eml } from "./shared.js";
import { buildZip } from "./zip-builder.js";

let files: RealFiles;
beforeAll(async () => {
  files = await realFiles();
});

const zipPart = (name: string, zip: Buffer): string[] => [
  "Content-Type: application/zip",
  "Content-Transfer-Encoding: base64",
  `Content-Disposition: attachment; filename="${name}"`,
  "",
  b64(zip),
];

describe("zip archives", () => {
  it("unpacks GBK-named entries (no UTF-8 flag) and UTF-8-flagged ones, names without folders", async () => {
    const zip = buildZip([
      { name: iconv.encode("材料/申报书-中国农学会.docx", "gbk"), content: files.docx },
      { name: Buffer.from("材料/盖章扫描件.pdf", "utf8"), content: files.pdf, utf8Flag: true },
    ]);
    const p = await parseMessage(eml(mixed(HEAD, [zipPart("申报材料.zip", zip)])));
    const inside = p.attachments.filter((a) => a.from === "申报材料.zip");
    expect(inside.map((a) => [a.name, a.type, a.role])).toEqual([
      ["申报书-中国农学会.docx", "docx", "word"],
      ["盖章扫描件.pdf", "pdf", "scan"],
    ]);
    expect(inside[0]!.content.equals(files.docx)).toBe(true);
    expect(p.attachments.find((a) => a.name === "申报材料.zip")?.role).toBe("other");
    expect(p.kind).toBe("submission");
    expect(p.flags).toEqual([]);
  });

  it("skips what archivers and editors add on their own (__MACOSX, ._ forks, ~$ lock files, .DS_Store)", async () => {
    const zip = buildZip([
      { name: Buffer.from("申报书.docx"), content: files.docx },
      { name: Buffer.from("__MACOSX/._申报书.docx"), content: Buffer.from("\0\u0005\u0016\u0007 Mac OS X        ") },
      { name: Buffer.from("~$申报书.docx"), content: Buffer.alloc(162, 1) },
      { name: Buffer.from(".DS_Store"), content: Buffer.alloc(64, 0) },
    ]);
    const p = await parseMessage(eml(mixed(HEAD, [zipPart("材料.zip", zip)])));
    expect(p.attachments.map((a) => a.name)).toEqual(["材料.zip", "申报书.docx"]);
    expect(p.flags).toEqual([]);
  });

  it("does not unpack a spreadsheet (an Office zip that is not a Word file)", async () => {
    const xlsx = buildZip([
      { name: Buffer.from("[Content_Types].xml"), content: Buffer.from("<Types/>") },
      { name: Buffer.from("xl/workbook.xml"), content: Buffer.from("<workbook/>") },
    ]);
    const p = await parseMessage(eml(mixed(HEAD, [zipPart("预算.xlsx", xlsx)])));
    expect(p.attachments.map((a) => [a.name, a.type, a.role])).toEqual([["预算.xlsx", "zip", "other"]]);
    // Sent as an application (the subject says 申报): a submission, whose receipt says what to send.
    expect(p.kind).toBe("submission");
  });

  it("keeps a hostile entry path out of the stored name", async () => {
    const zip = buildZip([{ name: Buffer.from("../../../etc/passwd.pdf"), content: files.pdf }]);
    const p = await parseMessage(eml(mixed(HEAD, [zipPart("a.zip", zip)])));
    const pdf = p.attachments.find((a) => a.type === "pdf")!;
    expect(pdf.name).toBe("passwd.pdf");
    expect(pdf.storedName).toBe("passwd.pdf");
  });

  it("refuses an archive with more entries than the limit", async () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ name: Buffer.from(`f${i}.txt`), content: Buffer.from("x") }));
    const p = await parseMessage(eml(mixed(HEAD, [zipPart("many.zip", buildZip(many))])), { limits: { maxArchiveEntries: 20 } });
    expect(p.flags).toEqual([expect.objectContaining({ code: "suspicious-attachment", file: "many.zip" })]);
    expect(p.attachments.length).toBe(1);
  });

  it("stops at the nesting limit: zip in zip in zip…", async () => {
    let zip = buildZip([{ name: Buffer.from("scan.pdf"), content: files.pdf }]);
    for (let i = 0; i < 4; i++) zip = buildZip([{ name: Buffer.from(`level${i}.zip`), content: zip }]);
    const p = await parseMessage(eml(mixed(HEAD, [zipPart("outer.zip", zip)])));
    expect(p.flags.map((f) => f.code)).toEqual(["suspicious-attachment"]);
    expect(p.attachments.some((a) => a.type === "pdf")).toBe(false);
  });

  it("flags a password-protected entry as unreadable", async () => {
    const zip = buildZip([{ name: Buffer.from("scan.pdf"), content: files.pdf }]);
    // Set the encryption bit in both the local and the central header.
    zip.writeUInt16LE(1, 6);
    const cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt16LE(1, cd + 8);
    const p = await parseMessage(eml(mixed(HEAD, [zipPart("locked.zip", zip)])));
    expect(p.flags).toEqual([expect.objectContaining({ code: "unreadable-attachment", file: "locked.zip" })]);
  });
});

describe("forwarded messages", () => {
  const inner = (): Buffer =>
    eml(
      mixed(
        ["From: 李四 <lisi@example.org>", "To: office@example.org", "Subject: 申报书", "Date: Sun, 04 Jan 2026 09:00:00 +0800"],
        [["Content-Type: application/pdf", "Content-Transfer-Encoding: base64", 'Content-Disposition: attachment; filename="盖章版.pdf"', "", b64(files.pdf)]],
      ),
    );

  it("unpacks a base64-encoded message/rfc822 attachment", async () => {
    const p = await parseMessage(
      eml(mixed(HEAD, [["Content-Type: message/rfc822", "Content-Transfer-Encoding: base64", 'Content-Disposition: attachment; filename="fwd.eml"', "", b64(inner())]])),
    );
    const scan = p.attachments.find((a) => a.role === "scan")!;
    expect(scan.name).toBe("盖章版.pdf");
    expect(scan.from).toBe("fwd.eml");
    expect(p.kind).toBe("submission");
  });

  it("finds attachments of an unencoded forwarded message", async () => {
    const p = await parseMessage(eml(mixed(HEAD, [["Content-Type: message/rfc822", "Content-Disposition: inline", "", inner()]])));
    expect(p.attachments.filter((a) => a.role === "scan").map((a) => a.name)).toEqual(["盖章版.pdf"]);
  });
});

describe("winmail.dat", () => {
  it("flags a TNEF attachment so the applicant can resend, and treats the email as a submission", async () => {
    const p = await parseMessage(readFileSync(path.resolve(import.meta.dirname, "../../../test/fixtures/wild-mail/mimekit__tnef_ukr.eml")));
    const tnef = p.attachments.find((a) => a.type === "tnef")!;
    expect(p.flags).toEqual([expect.objectContaining({ code: "unreadable-attachment", file: tnef.name })]);
    expect(p.kind).toBe("submission");
  });
});
