import { loadCall } from "@intake/schema";
import { describe, expect, it } from "vitest";
import { extractFields } from "../src/extract/form-fields.js";
import { tickedOptions, yesNo } from "../src/extract/ticks.js";
import { parseDocumentXml } from "../src/reader/docx-xml.js";
import { modelFromPlainText } from "../src/reader/ole-doc.js";
import { callFile } from "../scripts/corpus-forms.js";

const call = loadCall(callFile);
const types = call.projectTypes.map((t) => ({ value: t.id, labels: [t.label, ...t.aliases] }));
const line1 = (a: string, b: string, c: string) => `${a}建立或巩固双边合作机制   ${b}学术研讨   ${c}培训活动`;

describe("tickedOptions", () => {
  it.each(["☑", "■", "▣", "√", "✓", "✔", "☒", "⊠", "✓□", "□✓", "☑ "])("a box written %j is ticked", (mark) => {
    expect(tickedOptions(line1("□", mark, "□"), null, types)).toEqual(["seminar"]);
  });
  it("empty boxes are not ticked, and 口 read by OCR is an empty box", () => {
    expect(tickedOptions(line1("□", "□", "□"), null, types)).toEqual([]);
    expect(tickedOptions(line1("口", "☑", "口"), null, types)).toEqual(["seminar"]);
  });
  it("the label kept and the others deleted", () => {
    expect(tickedOptions("学术研讨  人员交流", null, types)).toEqual(["seminar", "personnel-exchange"]);
  });
  it("the chosen option in bold", () => {
    const text = line1("□", "□", "□");
    const bold = [...text].map((_, i) => i >= text.indexOf("培训活动") && i < text.indexOf("培训活动") + 4);
    expect(tickedOptions(text, bold, types)).toEqual(["training"]);
  });
  it("an alias inside a longer label does not tick it twice", () => {
    expect(tickedOptions("☑面向特定科技群体的专题交流活动（如青年科学家对话等）\n□其他（请注明）", null, types)).toEqual(["thematic"]);
  });
  it("yes/no", () => {
    expect(yesNo("  □是   ✓□否", null)).toBe(false);
    expect(yesNo("  ■是   □否", null)).toBe(true);
    expect(yesNo("  □是   □否", null)).toBeNull();
    expect(yesNo("  是", null)).toBe(true);
    expect(yesNo("  ☑是   ☑否", null)).toBeNull();
  });
});

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"';
const p = (...runs: string[]) => `<w:p>${runs.join("")}</w:p>`;
const r = (t: string, bold = false) => `<w:r>${bold ? "<w:rPr><w:b/></w:rPr>" : ""}<w:t xml:space="preserve">${t}</w:t></w:r>`;
const box = (checked: boolean) =>
  `<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="${checked ? 1 : 0}"/></w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:t>${checked ? "☒" : "☐"}</w:t></w:r></w:sdtContent></w:sdt>`;
const tc = (inner: string, extra = "") => `<w:tc><w:tcPr>${extra}</w:tcPr>${inner}</w:tc>`;
const tr = (...cells: string[]) => `<w:tr>${cells.join("")}</w:tr>`;
const doc = (body: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><w:document ${W}><w:body>${body}</w:body></w:document>`);

describe("document.xml", () => {
  const form = doc(
    `<w:tbl>` +
      tr(tc(p(r("联   系   人"))), tc(p(r("张三")))) +
      tr(tc(p(r("项目类型（可多选）"))), tc(p(box(false), r("建立或巩固双边合作机制 "), box(true), r("学术研讨")) + p(box(true), r("其他（请注明）"), r("专家咨询")))) +
      tr(tc(p(r("前期开展")) + p(r("情况"))), tc(p(r("此前是否开展过该项目或类似项目？  □是   "), r("□否", true)))) +
      tr(tc(p(r("合作组织")) + p(r("情况"))), tc(p(r("是否计划与国外对口组织合作开展本项目？  "), `<w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r>`, r("是   □否")))) +
      tr(tc(p(""), '<w:vMerge w:val="restart"/>'), tc(p(r("合作组织 1"))), tc(p(r("甲学会")))) +
      tr(tc(p(""), "<w:vMerge/>"), tc(p(r("合作基础"))), tc(p(r("多年合作")))) +
      tr(tc(p(""), "<w:vMerge/>"), tc(p(r("合作组织 2"))), tc(p(r("乙学会")))) +
      tr(tc(p(""), "<w:vMerge/>"), tc(p(r("合作基础"))), tc(p(r("（请在此填写）")))) +
      tr(tc(p(r("四、工作设想")), '<w:gridSpan w:val="3"/>')) +
      tr(tc(p(r("请简要写明项目设计基本思路、主要活动安排等")) + p(r("第一段。")) + p(r("第二段。")), '<w:gridSpan w:val="3"/>')) +
      `</w:tbl>`,
  );

  it("reads check-box content controls, Wingdings ticks, bold answers, merged rows and multi-paragraph cells", () => {
    const { fields, sources } = extractFields(parseDocumentXml(form), call);
    expect(fields["cover.contactName"]).toBe("张三");
    expect(fields["project.types"]).toEqual(["seminar", "other"]);
    expect(fields["project.typeOther"]).toBe("专家咨询");
    expect(fields["basis.priorWork"]).toBe(false);
    expect(fields["basis.hasPartners"]).toBe(true);
    expect(fields["basis.partners"]).toEqual([
      { name: "甲学会", basis: "多年合作" },
      { name: "乙学会", basis: null },
    ]);
    expect(fields.plan).toBe("第一段。\n第二段。");
    expect(sources["cover.contactName"]).toEqual({ source: "word", table: 0, row: 0, cell: 1 });
  });

  it("refuses a DOCTYPE or entity declaration without expanding it", () => {
    const xxe = Buffer.from(`<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document ${W}><w:body>${p(r("&x;"))}</w:body></w:document>`);
    expect(() => parseDocumentXml(xxe)).toThrow(/DOCTYPE/);
  });

  it("reports truncated XML as unreadable", () => {
    expect(() => parseDocumentXml(form.subarray(0, form.length / 2))).toThrow(/not well-formed/);
  });
});

describe("Word 97 plain text", () => {
  it("rebuilds rows and cells from tabs and tab-newlines", () => {
    const m = modelFromPlainText("附件2\n\n\n申报单位\t某学会\t\n项目名称\t某项目\t\n\n填报说明\n\n单位名称\t某学会\t\n");
    const { fields } = extractFields(m, call);
    expect(fields["cover.applicantUnit"]).toBe("某学会");
    expect(fields["cover.projectName"]).toBe("某项目");
    expect(fields["unit.name"]).toBe("某学会");
  });
});

describe("Word 97 bold", () => {
  it("reads the chosen option from bold marks when no box is ticked", () => {
    const m = modelFromPlainText("项目类型（可多选）\t□建立或巩固双边合作机制   □\uE000学术研讨\uE001   □培训活动\t\n前期开展\t此前是否开展过该项目或类似项目？  □是   □\uE000否\uE001\t\n");
    const { fields } = extractFields(m, call);
    expect(fields["project.types"]).toEqual(["seminar"]);
    expect(fields["basis.priorWork"]).toBe(false);
  });
});

describe("instruction text", () => {
  it("is dropped whether on its own line or before the answer", async () => {
    const { cleanValue } = await import("../src/extract/instructions.js");
    expect(cleanValue("（活动类、人员交流类项目请写清总体参与人数；无法量化规模的项目可不填写）100人左右", call)).toBe("100人左右");
    expect(cleanValue("（涉及多个合作国别的请全部列出）\n越南、老挝", call)).toBe("越南、老挝");
    expect(cleanValue("（请在此填写项目前期开展情况）\n……", call)).toBeNull();
    expect(cleanValue("线上+线下（中国北京、俄罗斯莫斯科）", call)).toBe("线上+线下（中国北京、俄罗斯莫斯科）");
    expect(cleanValue("如选择“是”，请在下方简述前期开展情况。", call)).toBeNull();
  });
});

describe("labels and answers in unusual places", () => {
  it("a label on a cell's first line with its answer below, and a Word 97 cell opening with an empty paragraph", () => {
    const m = modelFromPlainText("联系人\n张三\t\n四、工作设想\t\n\n第一段。\t\n");
    const { fields } = extractFields(m, call);
    expect(fields["cover.contactName"]).toBe("张三");
    expect(fields.plan).toBe("第一段。");
  });
});

describe("yes/no boxes away from the question", () => {
  it("reads them on the next line or in the next cell", () => {
    const m = modelFromPlainText("此前是否开展过该项目或类似项目？\n☑是   □否\t\n是否计划与国外对口组织合作开展本项目？\t□是   ☑否\t\n");
    const { fields } = extractFields(m, call);
    expect(fields["basis.priorWork"]).toBe(true);
    expect(fields["basis.hasPartners"]).toBe(false);
  });
});
