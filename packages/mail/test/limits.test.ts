import { beforeAll, describe, expect, it } from "vitest";
import { parseMessage } from "../src/index.js";
import { b64, HEAD, mixed, realFiles, type RealFiles } from "./fixtures.js";
import { eml } from "./shared.js";

let files: RealFiles;
beforeAll(async () => {
  files = await realFiles();
});

const pdfPart = (name: string, content: Buffer): string[] => [
  "Content-Type: application/pdf",
  "Content-Transfer-Encoding: base64",
  `Content-Disposition: attachment; filename="${name}"`,
  "",
  b64(content),
];

describe("limits", () => {
  it("reads a 40 MB scanned copy (hd-18) whole", async () => {
    // A real PDF padded to 40 MB: readers ignore bytes after %%EOF.
    const big = Buffer.concat([files.pdf, Buffer.alloc(40 * 1024 * 1024 - files.pdf.length, 0x20)]);
    const t0 = performance.now();
    const p = await parseMessage(eml(mixed(HEAD, [pdfPart("扫描件.pdf", big)])));
    expect(performance.now() - t0).toBeLessThan(60_000);
    const scan = p.attachments.find((a) => a.role === "scan")!;
    expect(scan.size).toBe(big.length);
    expect(p.flags).toEqual([]);
  });

  it("refuses an attachment over maxAttachmentBytes with a flag", async () => {
    const p = await parseMessage(eml(mixed(HEAD, [pdfPart("扫描件.pdf", files.pdf)])), { limits: { maxAttachmentBytes: 1000 } });
    expect(p.flags).toEqual([expect.objectContaining({ code: "unreadable-attachment", file: "扫描件.pdf" })]);
    expect(p.attachments[0]!.role).toBe("other");
  });

  it("flags, not loses, a message with more MIME parts than the parser accepts", async () => {
    const parts = Array.from({ length: 1100 }, (_, i) => [`Content-Type: text/plain; name="n${i}.txt"`, "Content-Disposition: attachment", "", "x"]);
    const p = await parseMessage(eml(mixed(HEAD, parts)));
    expect(p.subject).toBe("申报材料");
    expect(p.flags).toEqual([expect.objectContaining({ code: "unreadable-attachment" })]);
  });

  it("reads only the header of a message over maxMessageBytes, and says so", async () => {
    const p = await parseMessage(eml(mixed(HEAD, [pdfPart("扫描件.pdf", files.pdf)])), { limits: { maxMessageBytes: 10_000 } });
    expect(p.subject).toBe("申报材料");
    expect(p.attachments).toEqual([]);
    expect(p.flags).toEqual([expect.objectContaining({ code: "unreadable-attachment" })]);
  });
});
