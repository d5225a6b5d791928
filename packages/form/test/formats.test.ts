import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCall } from "@intake/schema";
import { parseWordForm } from "../src/index.js";

const call = loadCall(join(import.meta.dirname, "../../../config/calls/2026.yaml"));
// A Word 97-2003 file saved by LibreOffice (`soffice --headless --convert-to doc x.txt`).
const word97 = readFileSync(join(import.meta.dirname, "fixtures/libreoffice-word97.doc"));

/** The same file as Word 6.0/95 would have written its header: FIB identifier 0xA5DC, nFib 101. */
function asWord6(doc: Buffer): Buffer {
  const out = Buffer.from(doc);
  const at = out.indexOf(Buffer.from("eca5", "hex"));
  out.writeUInt16LE(0xa5dc, at);
  out.writeUInt16LE(101, at + 2);
  return out;
}

describe("Word files by their content", () => {
  it("reads a Word 97-2003 file under a .docx or .wps name", async () => {
    for (const name of ["申报书.docx", "申报书.wps"]) {
      const r = await parseWordForm(word97, { call, fileName: name, type: "ole" });
      expect(r.readable, name).toBe(true);
    }
  });

  it("refuses a Word 6.0/95 file with its own reason, the library's words kept out of the flag", async () => {
    const r = await parseWordForm(asWord6(word97), { call, fileName: "申报书.doc", type: "ole" });
    expect(r.readable).toBe(false);
    const f = r.flags.find((x) => x.code === "unreadable-attachment");
    expect(f?.reason).toBe("word-legacy");
    expect(JSON.stringify(r.flags)).not.toMatch(/magic number|a5dc/i);
    expect(call.ack.reasons["word-legacy"]).toMatch(/Word 6\.0\/95/);
  });

  it("calls a truncated .docx unreadable (damaged), not suspicious, and reads one named .doc", async () => {
    // A .docx saved by LibreOffice (`soffice --headless --convert-to docx x.txt`).
    const docx = readFileSync(join(import.meta.dirname, "fixtures/libreoffice.docx"));
    expect((await parseWordForm(docx, { call, fileName: "申报书.doc", type: "docx" })).readable).toBe(true);
    for (const cut of [0.3, 0.6, 0.9]) {
      const r = await parseWordForm(docx.subarray(0, Math.round(docx.length * cut)), { call, fileName: "申报书.docx", type: "docx" });
      expect(r.readable).toBe(false);
      expect(r.flags.map((f) => [f.code, f.reason])).toEqual([["unreadable-attachment", "damaged"]]);
    }
  });
});
