import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { parseMessage, type ParsedMessage } from "../src/index.js";
import { describeShared, sharedPath } from "../../../test/support/shared.js";

const DIR = sharedPath("corpus-hostile");
const parse = (id: string): Promise<ParsedMessage> => parseMessage(readFileSync(path.join(DIR, `${id}.eml`)));
const SAFE_NAME = /^[^/\\\u0000-\u001f\u007f<>:"|?*]+$/;

function flagsOn(p: ParsedMessage, name: string): string[] {
  return p.flags.filter((f) => f.file === name).map((f) => f.code);
}

describeShared("parseMessage on the hostile set", ["corpus-hostile"], () => {
  it("refuses a .docx zip bomb (declared 2.3 GB) without inflating it", async () => {
    const p = await parse("hd-01-docx-zipbomb-deflate");
    const word = p.attachments.find((a) => a.role === "word")!;
    expect(flagsOn(p, word.name)).toContain("suspicious-attachment");
  });

  it("refuses a .docx with 100 000 entries", async () => {
    const p = await parse("hd-02-docx-entrycount-bomb");
    const word = p.attachments.find((a) => a.role === "word")!;
    expect(flagsOn(p, word.name)).toContain("suspicious-attachment");
  });

  it("types a .pdf that is an executable by content and never offers it as a scan", async () => {
    const p = await parse("hd-06-scan-is-exe");
    const fake = p.attachments.find((a) => a.name.endsWith(".pdf"))!;
    expect(fake.type).toBe("exe");
    expect(fake.role).toBe("other");
    expect(flagsOn(p, fake.name)).toEqual(["suspicious-attachment"]);
    expect(p.kind).toBe("submission");
  });

  it("flags a .doc that is really a .docx (content does not match the name)", async () => {
    const p = await parse("hd-07-doc-is-zip");
    const doc = p.attachments.find((a) => a.name.endsWith(".doc"))!;
    expect(doc.type).toBe("docx");
    expect(flagsOn(p, doc.name)).toEqual(["suspicious-attachment"]);
  });

  it("types an encrypted Word file sent as .docx as OLE, still the Word candidate", async () => {
    const p = await parse("hd-09-word-encrypted-ole");
    const word = p.attachments.find((a) => a.name.endsWith(".docx"))!;
    expect(word.type).toBe("ole");
    expect(word.role).toBe("word");
  });

  it.each(["hd-13-fn-path-traversal", "hd-14-fn-absolute", "hd-15-fn-nul-crlf", "hd-16-fn-300-chars", "hd-17-fn-windows-reserved"])(
    "%s: stores hostile names under safe, unique, short names and still finds form and scan",
    async (id) => {
      const p = await parse(id);
      expect(p.attachments.map((a) => a.role).sort()).toEqual(["scan", "word"]);
      for (const a of p.attachments) {
        expect(a.storedName).toMatch(SAFE_NAME);
        expect(a.storedName).not.toMatch(/^\.|\.\.|[. ]$/);
        expect(a.storedName).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i);
        expect(Buffer.byteLength(a.storedName)).toBeLessThanOrEqual(180);
      }
      expect(new Set(p.attachments.map((a) => a.storedName.toLowerCase())).size).toBe(p.attachments.length);
    },
  );

  it("keeps the original (untrusted) name alongside the stored one", async () => {
    const p = await parse("hd-13-fn-path-traversal");
    expect(p.attachments.map((a) => a.name)).toContain("../../etc/cron.d/x.docx");
    expect(p.attachments.map((a) => a.storedName)).toContain("x.docx");
  });

  it("caps 500 attachments, keeping the form and the scan", async () => {
    const p = await parse("hd-19-many-attachments");
    expect(p.attachments.length).toBe(100);
    expect(p.attachments.filter((a) => a.role !== "other").length).toBe(2);
    expect(p.flags.some((f) => /500 attachments/.test(f.detail ?? ""))).toBe(true);
  });

  it("walks 200 nested multiparts without overflowing and finds form and scan", async () => {
    const p = await parse("hd-20-mime-deep-nesting");
    expect(p.attachments.map((a) => a.role).sort()).toEqual(["scan", "word"]);
  });

  it("cuts a 1 MB Subject line quickly and keeps it bounded", async () => {
    const t0 = Date.now();
    const p = await parse("hd-21-header-1mb-line");
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(p.subject!.length).toBeGreaterThan(10);
    expect(p.subject!.length).toBeLessThanOrEqual(4096);
    expect(p.headers["subject"]!.length).toBeLessThanOrEqual(4096);
    expect(p.kind).toBe("submission");
  });

  it("strips CR/LF injected through encoded words in Subject and From", async () => {
    const p = await parse("hd-22-header-injection");
    for (const v of [p.subject!, p.from!.name, ...Object.values(p.headers).flatMap((h) => h.split("\n"))]) {
      expect(v).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
    }
    expect(p.from!.address).toBe("apply@cts.example.org");
  });

  it("keeps From and Reply-To apart", async () => {
    const p = await parse("hd-24-reply-to-other-domain");
    expect(p.from!.address).toBe("gjb@cts.example.org");
    expect(p.replyTo!.address).toBe("collector@harvest-replies.example.net");
  });

  it("decodes raw 8-bit GBK Subject, From name and file name", async () => {
    const p = await parse("hd-25-raw-8bit-gbk-headers");
    expect(p.subject).toMatch(/^2026年度双边科技人文交流机制重点项目申报/);
    expect(p.from!.name).toContain("中国农学会");
    expect(p.headers["subject"]).toBe(p.subject);
    const word = p.attachments.find((a) => a.role === "word")!;
    expect(word.name).toBe("申报书-中国农学会.docx");
    expect(p.text).toContain("申报书");
  });
});
