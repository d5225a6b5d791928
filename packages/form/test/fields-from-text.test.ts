import { readFileSync } from "node:fs";
import { loadCall } from "@intake/schema";
import WordExtractor from "word-extractor";
import { describe, expect, it } from "vitest";
import { checkFields, fieldsFromText, parseWordForm } from "../src/index.js";
import { callFile, corpusMessages, samplesDir, wordAttachments, type CorpusWord } from "../scripts/corpus-forms.js";

const call = loadCall(callFile);

/** The form's text as OCR gives it: a space between Chinese characters, cells as gaps, □ read as 口. */
function asOcr(text: string): string {
  return text
    .replace(/\t/g, "   ")
    .replace(/□/g, "口")
    .replace(/([\u4e00-\u9fff])(?=[\u4e00-\u9fff])/g, "$1 ");
}

async function oleForms(): Promise<CorpusWord[]> {
  const out: CorpusWord[] = [];
  for (const { id, file } of corpusMessages(samplesDir)) out.push(...(await wordAttachments(readFileSync(file), id)).filter((w) => w.type === "ole"));
  return out;
}

describe("fieldsFromText", () => {
  it("reads from OCR-like text what the Word parser reads from the file", async () => {
    const forms = await oleForms();
    expect(forms.length).toBeGreaterThanOrEqual(3);
    let same = 0;
    let total = 0;
    for (const w of forms) {
      const text = (await new WordExtractor().extract(w.content)).getBody({ filterUnicode: false });
      const fromText = fieldsFromText(asOcr(text), call);
      const fromWord = await parseWordForm(w.content, { call, fileName: w.name, type: w.type });
      for (const [k, v] of Object.entries(fromWord.fields)) {
        total++;
        if (JSON.stringify((fromText.fields as Record<string, unknown>)[k]) === JSON.stringify(v)) same++;
      }
      expect(fromText.fields["cover.applicantUnit"]).toBe(fromWord.fields["cover.applicantUnit"]);
      expect(fromText.fields["project.types"]).toEqual(fromWord.fields["project.types"]);
      expect(Object.values(fromText.sources).every((s) => s.source === "scan")).toBe(true);
    }
    expect(same / total).toBeGreaterThan(0.9);
  });

  it("gives empty fields for text that is not a form", () => {
    const r = fieldsFromText("这是一封询问截止时间的邮件。\n谢谢！", call);
    expect(Object.values(r.fields).every((v) => v === null)).toBe(true);
  });
});

describe("fieldsFromText on real OCR", () => {
  it("reads most fields of the sample scan-only form from tesseract's text (clipped labels, misread boxes, | as cell rules)", async () => {
    const { readFileSync } = await import("node:fs");
    const { expectedFor } = await import("../scripts/corpus-forms.js");
    const text = readFileSync(new URL("./fixtures/ocr-scan-msg-001.txt", import.meta.url), "utf8");
    const r = fieldsFromText(text, call);
    const expected = expectedFor("msg-001", samplesDir)[0]!.fields;
    const same = Object.entries(expected).filter(([k, v]) => JSON.stringify((r.fields as Record<string, unknown>)[k]) === JSON.stringify(v));
    expect(same.length).toBeGreaterThanOrEqual(22);
    expect(r.fields["project.types"]).toEqual(expected["project.types"]);
    expect(r.fields["basis.hasPartners"]).toBe(expected["basis.hasPartners"]);
    expect(r.fields["funding.requested"]).toBe(expected["funding.requested"]);
  });

  it('reads the same form far better from its regions read one by one (a table row per line, cells split by |, "label | answer" per blank)', async () => {
    const { readFileSync } = await import("node:fs");
    const { expectedFor, FORM_FLAG } = await import("../scripts/corpus-forms.js");
    const text = readFileSync(new URL("./fixtures/ocr-cells-msg-001.txt", import.meta.url), "utf8");
    const r = fieldsFromText(text, call);
    const truth = expectedFor("msg-001", samplesDir)[0]!;
    const same = Object.entries(truth.fields).filter(([k, v]) => JSON.stringify((r.fields as Record<string, unknown>)[k]) === JSON.stringify(v));
    expect(same.length).toBeGreaterThanOrEqual(31);
    // The cells whole-page OCR lost or glued to their rules.
    expect(r.fields["unit.postalCode"]).toBe("100094");
    expect(r.fields["unit.head"]).toBe("田婷鹏");
    expect(r.fields["unit.headTitle"]).toBe("理事长");
    expect(r.fields["funding.selfFundedYuan"]).toBe(50000);
    // Empty partner rows and the template's "……（可补充）" are no partner.
    expect(r.fields["basis.partners"]).toBeNull();
    const flags = checkFields(r.fields, call, { ocr: true }).map((f) => (f.field ? `${f.code}:${f.field}` : f.code));
    expect(flags.sort()).toEqual(truth.flags.filter((f) => FORM_FLAG.test(f)).sort());
  });
});
