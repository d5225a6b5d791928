// Word files with active content, built here from the sample form: each is
// flagged for reviewers in Chinese, and its fields are still read. Nothing a
// file points to is ever followed.
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadCall } from "@intake/schema";
import { simpleParser } from "mailparser";
import yauzl from "yauzl";
import { beforeAll, describe, expect, it } from "vitest";
import { buildZip } from "../../mail/test/zip-builder.js";
import { parseWordForm } from "../src/index.js";
import { oleActiveContent } from "../src/reader/active-content.js";

const root = path.resolve(import.meta.dirname, "../../..");
const call = loadCall(path.join(root, "config/calls/2026.yaml"));

function entries(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const out = new Map<string, Buffer>();
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, z) => {
      if (err || !z) return reject(err);
      z.on("entry", (e: yauzl.Entry) =>
        z.openReadStream(e, (e2, s) => {
          if (e2 || !s) return reject(e2);
          const chunks: Buffer[] = [];
          s.on("data", (c: Buffer) => chunks.push(c)).on("end", () => {
            out.set(e.fileName, Buffer.concat(chunks));
            z.readEntry();
          });
        }),
      );
      z.on("end", () => resolve(out));
      z.readEntry();
    });
  });
}

const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const rel = (id: string, type: string, target: string, external = true) =>
  `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"${external ? ' TargetMode="External"' : ""}/>`;
const field = (instr: string) =>
  `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ${instr} </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`;

describe("active content in Word files", () => {
  let base: Map<string, Buffer>;
  beforeAll(async () => {
    const mail = await simpleParser(readFileSync(path.join(root, "samples/mailboxes/guoyunlong/msg-022.eml")));
    base = await entries(mail.attachments.find((a) => a.filename?.endsWith(".docx"))!.content);
  });

  /** The sample form with some parts added or changed. */
  function variant(change: (parts: Map<string, Buffer>) => void): Buffer {
    const parts = new Map(base);
    change(parts);
    return buildZip([...parts].map(([name, content]) => ({ name: Buffer.from(name), content })));
  }
  const addRels = (parts: Map<string, Buffer>, file: string, ...rels: string[]) => {
    const name = `word/_rels/${file}.rels`;
    const xml = parts.get(name)?.toString("utf8") ?? `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>`;
    parts.set(name, Buffer.from(xml.replace("</Relationships>", `${rels.join("")}</Relationships>`)));
  };
  const addToBody = (parts: Map<string, Buffer>, xml: string) => {
    const doc = parts.get("word/document.xml")!.toString("utf8");
    parts.set("word/document.xml", Buffer.from(doc.replace(/<w:body>/, `<w:body>${xml}`)));
  };

  const cases: [string, (p: Map<string, Buffer>) => void, RegExp][] = [
    ["macros (vbaProject.bin, macro-enabled type)", (p) => {
      p.set("word/vbaProject.bin", Buffer.from("placeholder"));
      const t = p.get("[Content_Types].xml")!.toString("utf8");
      p.set("[Content_Types].xml", Buffer.from(t.replace("wordprocessingml.document.main+xml", "ms-word.document.macroEnabled.main+xml")));
    }, /宏/],
    ["altChunk", (p) => addRels(p, "document.xml", rel("rIdA", "aFChunk", "chunk.mht", false)), /altChunk/],
    ["an embedded OLE package", (p) => {
      p.set("word/embeddings/oleObject1.bin", Buffer.from("d0cf11e0a1b11ae1", "hex"));
      addRels(p, "document.xml", rel("rIdO", "oleObject", "embeddings/oleObject1.bin", false));
    }, /OLE/],
    ["a subDocument to file:///etc/passwd", (p) => addRels(p, "document.xml", rel("rIdS", "subDocument", "file:///etc/passwd")), /subDocument/],
    ["an external frame", (p) => addRels(p, "webSettings.xml", rel("rIdF", "frame", "http://frames.example/x.htm")), /框架/],
    ["a hyperlink to a file share", (p) => addRels(p, "document.xml", rel("rIdH", "hyperlink", "\\\\evil.example\\share")), /链接/],
    ["an INCLUDETEXT field", (p) => addToBody(p, field('INCLUDETEXT "C:\\\\secret.txt"')), /INCLUDETEXT/],
    ["a DDEAUTO field", (p) => addToBody(p, field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"')), /DDE/],
    ["a remote template in settings.xml.rels", (p) => addRels(p, "settings.xml", rel("rIdT", "attachedTemplate", "http://templates.example/t.dotm")), /模板/],
  ];
  for (const [name, change, words] of cases) {
    it(`${name}: flagged for reviewers, and the form still read`, async () => {
      const r = await parseWordForm(variant(change), { call, fileName: "申报书.docx", type: "docx" });
      expect(r.readable).toBe(true);
      expect(r.fields["cover.applicantUnit"]).toBeTruthy();
      const flag = r.flags.find((f) => f.code === "suspicious-attachment");
      expect(flag).toMatchObject({ file: "申报书.docx", reason: "active-content", detail: expect.stringMatching(words) });
      
    });
  }

  it("ordinary links to web pages and mail addresses, and a local template, are no active content", async () => {
    const plain = variant((p) => {
      addRels(p, "document.xml", rel("rIdW", "hyperlink", "https://www.cast.org.cn/"), rel("rIdM", "hyperlink", "mailto:a@unit.example.org"));
      addRels(p, "settings.xml", rel("rIdT", "attachedTemplate", "file:///C:/Users/a/Normal.dotm", false));
    });
    const r = await parseWordForm(plain, { call, fileName: "申报书.docx", type: "docx" });
    expect(r.flags.filter((f) => f.code === "suspicious-attachment")).toEqual([]);
  });

  it("a Word 97-2003 file with a macro storage or a packaged file", () => {
    const ole = (...names: string[]) => Buffer.concat([Buffer.from("d0cf11e0a1b11ae1", "hex"), ...names.map((n) => Buffer.from(`${n}\0`, "utf16le"))]);
    expect(oleActiveContent(ole("WordDocument", "_VBA_PROJECT"))).toEqual([expect.stringMatching(/宏/)]);
    expect(oleActiveContent(ole("WordDocument", "\u0001Ole10Native"))).toEqual([expect.stringMatching(/OLE Package/)]);
    expect(oleActiveContent(ole("WordDocument", "1Table"))).toEqual([]);
  });
});
