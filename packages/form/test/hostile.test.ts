import { readFileSync } from "node:fs";
import { loadCall } from "@intake/schema";
import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";
import { parseWordForm } from "../src/index.js";
import { callFile, sniff } from "../scripts/corpus-forms.js";
import { describeShared, sharedPath } from "../../../test/support/shared.js";
import { sampleEmail } from "../../../test/support/samples.js";
import { materials, wordThreats } from "../../../test/support/hostile.js";

const call = loadCall(callFile);

async function wordOf(eml: Buffer) {
  const mail = await simpleParser(eml);
  const a = mail.attachments.find((x) => /\.(docx?|wps)$/i.test(x.filename ?? "") || /word/.test(x.contentType));
  if (!a) throw new Error("no Word attachment");
  return { name: a.filename ?? "form", content: a.content };
}

const cases: [string, string][] = [
  ["hd-01-docx-zipbomb-deflate", "suspicious-attachment"],
  ["hd-02-docx-entrycount-bomb", "suspicious-attachment"],
  ["hd-03-docx-xxe", "suspicious-attachment"],
  ["hd-04-docx-billion-laughs", "suspicious-attachment"],
  ["hd-05-docx-broken-xml", "unreadable-attachment"],
  ["hd-09-word-encrypted-ole", "unreadable-attachment"],
];

/** The .docx of a sample email: real input to break in the ways below. */
const sampleDocx = async () => wordOf(await sampleEmail("guoyunlong", "msg-004.eml"));

describeShared("hostile Word attachments of the measurement set", ["corpus-hostile"], () => {
  for (const [id, code] of cases) {
    it(`${id} → ${code}, at bounded cost`, async () => {
      const w = await wordOf(readFileSync(sharedPath("corpus-hostile", `${id}.eml`)));
      const before = process.memoryUsage().rss;
      const t0 = Date.now();
      const r = await parseWordForm(w.content, { call, fileName: w.name, type: sniff(w.content) ?? "docx" });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
      const f = r.flags.find((x) => x.code === code);
      expect(f, JSON.stringify(r.flags)).toBeDefined();
      expect(f?.file).toBe(w.name);
      expect(JSON.stringify(r)).not.toMatch(/root:x:0:0|xxe-canary/);
    });
  }
});

describe("hostile Word attachments", () => {
  it("refuses each Word threat built here with its flag, without inflating a bomb", async () => {
    for (const h of wordThreats(await materials())) {
      const w = await wordOf(h.eml);
      const before = process.memoryUsage().rss;
      const r = await parseWordForm(w.content, { call, fileName: w.name, type: sniff(w.content) ?? "docx" });
      expect(process.memoryUsage().rss - before, h.id).toBeLessThan(64 * 1024 * 1024);
      const f = r.flags.find((x) => x.code === h.flag);
      expect(f, `${h.id}: ${JSON.stringify(r.flags)}`).toBeDefined();
      expect(f?.file).toBe(w.name);
      expect(JSON.stringify(r)).not.toMatch(/root:x:0:0/);
    }
  });

  it("reads the fields of a .docx sent under a .doc name by its content (the mail layer notes the name for reviewers)", async () => {
    const w = await sampleDocx();
    const r = await parseWordForm(w.content, { call, fileName: w.name.replace(/\.docx$/i, ".doc"), type: "ole" });
    expect(r.readable).toBe(true);
    expect(r.fields["cover.applicantUnit"]).toBeTruthy();
    expect(r.flags.filter((f) => f.code.endsWith("-attachment"))).toEqual([]);
  });

  it("refuses a truncated or empty file and an executable without throwing", async () => {
    const w = await sampleDocx();
    for (const content of [w.content.subarray(0, 300), Buffer.alloc(0), Buffer.from("MZ\x90\x00 not really a program")]) {
      const r = await parseWordForm(content, { call, fileName: "x.docx", type: "docx" });
      expect(r.readable).toBe(false);
      expect(r.flags.some((f) => f.code === "unreadable-attachment" || f.code === "suspicious-attachment")).toBe(true);
    }
  });

  it("honours the caps given as options", async () => {
    const w = await sampleDocx();
    const small = await parseWordForm(w.content, { call, fileName: "f.docx", type: "docx", limits: { maxUncompressedBytes: 2000 } });
    expect(small.flags.map((f) => f.code)).toContain("suspicious-attachment");
    const few = await parseWordForm(w.content, { call, fileName: "f.docx", type: "docx", limits: { maxEntries: 2 } });
    expect(few.flags.find((f) => f.code === "suspicious-attachment")?.detail).toMatch(/entries/);
    const ole = await parseWordForm(Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), Buffer.alloc(4096)]), {
      call,
      fileName: "f.doc",
      type: "ole",
      limits: { maxUncompressedBytes: 1000 },
    });
    expect(ole.readable).toBe(false);
    expect(ole.flags[0]?.code).toBe("unreadable-attachment");
  });
});
