import { beforeAll, describe, expect, it } from "vitest";
import { sanitiseFileName, sniffType } from "../src/index.js";
import { realFiles, type RealFiles } from "./fixtures.js";
import { buildZip } from "./zip-builder.js";

let files: RealFiles;
beforeAll(async () => {
  files = await realFiles();
});

describe("sniffType", () => {
  it("tells real corpus files apart by content", () => {
    expect(sniffType(files.docx)).toBe("docx");
    expect(sniffType(files.doc)).toBe("ole");
    expect(sniffType(files.pdf)).toBe("pdf");
  });

  it("tells a plain zip from a .docx and from an .odt", () => {
    expect(sniffType(buildZip([{ name: Buffer.from("a.txt"), content: Buffer.from("x") }]))).toBe("zip");
    const odt = buildZip([
      { name: Buffer.from("mimetype"), content: Buffer.from("application/vnd.oasis.opendocument.text") },
      { name: Buffer.from("content.xml"), content: Buffer.from("<x/>") },
    ]);
    expect(sniffType(odt)).toBe("odt");
  });

  it.each([
    ["exe", Buffer.concat([Buffer.from("MZ"), Buffer.alloc(100)])],
    ["tnef", Buffer.from("789f3e2201000000", "hex")],
    ["rtf", Buffer.from("{\\rtf1\\ansi hello}")],
    ["jpeg", Buffer.from("ffd8ffe000104a464946", "hex")],
    ["png", Buffer.from("89504e470d0a1a0a0000", "hex")],
    ["tiff", Buffer.from("49492a0008000000", "hex")],
    ["gif", Buffer.from("GIF89a\x01\x00", "latin1")],
    ["webp", Buffer.from("RIFF\x00\x00\x00\x00WEBPVP8 ", "latin1")],
    ["html", Buffer.from("<!DOCTYPE html><html><body>x</body></html>")],
    ["eml", Buffer.from("Received: from x\r\nFrom: a@b.c\r\nSubject: y\r\n\r\nbody")],
    ["text", Buffer.from("申报材料清单\n1. 申报书\n", "utf8")],
    ["unknown", Buffer.from([0, 1, 2, 3, 4, 5, 0, 0])],
    ["unknown", Buffer.alloc(0)],
  ])("%s", (type, buf) => {
    expect(sniffType(buf)).toBe(type);
  });
});

describe("sanitiseFileName", () => {
  it.each([
    ["../../etc/cron.d/x.docx", "x.docx"],
    ["..\\..\\Windows\\Start Menu\\x.pdf", "x.pdf"],
    ["/tmp/x.pdf", "x.pdf"],
    ["申报书\u0000.pdf\r\nX-Injected: 1.docx", "申报书.pdfX-Injected_ 1.docx"],
    ["CON.docx", "_CON.docx"],
    ["aux", "_aux"],
    ["lpt1.pdf", "_lpt1.pdf"],
    ["..", "attachment"],
    ["", "attachment"],
    ["report.pdf\u202Eexe.doc", "report.pdfexe.doc"],
    ["  .hidden.docx  ", "hidden.docx"],
    ["申报书盖章扫描件.pdf", "申报书盖章扫描件.pdf"],
  ])("%j → %j", (input, output) => {
    expect(sanitiseFileName(input)).toBe(output);
  });

  it("caps the length in bytes and keeps the extension", () => {
    const s = sanitiseFileName(`申报书-${"很长的名字".repeat(60)}.docx`);
    expect(Buffer.byteLength(s)).toBeLessThanOrEqual(180);
    expect(s.endsWith(".docx")).toBe(true);
    expect(s.startsWith("申报书-")).toBe(true);
  });
});
