import { loadCall, type PageItem, type ScanPage } from "@intake/schema";
import { describe, expect, it } from "vitest";
import { fieldsFromPages, parseWordForm } from "../src/index.js";
import { parseDocumentXml } from "../src/reader/docx-xml.js";
import { readZipEntries } from "../src/reader/zip-entries.js";
import { DEFAULT_LIMITS } from "../src/types.js";
import { callFile, corpusMessages, samplesDir, wordAttachments } from "../scripts/corpus-forms.js";
import { readFileSync } from "node:fs";

const call = loadCall(callFile);
const box = (y: number, x = 0) => ({ x0: x, y0: y, x1: x + 0.1, y1: y + 0.01 });
const cell = (text: string, y: number, x = 0, confidence = 0.98) => ({ text, box: box(y, x), confidence, lines: [], inked: text !== "" });
const row = (y: number, ...texts: string[]): PageItem => ({ kind: "row", page: 1, box: box(y), cells: texts.map((t, i) => cell(t, y, i * 0.2)) });
const page = (items: PageItem[], n = 1): ScanPage => ({ page: n, rotation: 0, items, ticks: [] });

/** The rows of a Word form as a scan would give them: OCR's 口 for □, a space between some characters. */
function asScanned(paras: string[][]): ScanPage {
  return page(paras.map((cells, i) => ({ kind: "row", page: 1, box: box(i / 200), cells: cells.map((t, j) => cell(t.replace(/□/g, "口").replace(/(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff]{2})/, " "), i / 200, j * 0.2)) })));
}

describe("fieldsFromPages", () => {
  it("reads from the page model of a form what the Word parser reads from the file", async () => {
    let same = 0;
    let total = 0;
    let forms = 0;
    for (const { id, file } of corpusMessages(samplesDir)) {
      for (const w of (await wordAttachments(readFileSync(file), id)).filter((x) => x.type === "docx")) {
        const zip = await readZipEntries(w.content, (n) => n === "word/document.xml", DEFAULT_LIMITS);
        const doc = parseDocumentXml(zip.entries.get("word/document.xml")!);
        const rows = doc.blocks.flatMap((b) => (b.kind === "para" ? [[b.para.runs.map((r) => r.text).join("")]] : b.rows.map((r) => r.cells.map((c) => c.paras.map((p) => p.runs.map((x) => x.text).join("")).join("\n")))));
        const fromPages = fieldsFromPages([asScanned(rows)], call);
        const fromWord = await parseWordForm(w.content, { call, fileName: w.name, type: "docx" });
        for (const [k, v] of Object.entries(fromWord.fields)) {
          total++;
          if (JSON.stringify((fromPages.fields as Record<string, unknown>)[k]) === JSON.stringify(v)) same++;
        }
        expect(fromPages.fields["cover.applicantUnit"]).toBe(fromWord.fields["cover.applicantUnit"]);
        for (const s of Object.values(fromPages.sources)) expect(s.source).toBe("scan");
        expect(fromPages.sources["unit.name"]).toMatchObject({ page: 1, outcome: "found", box: { x0: expect.any(Number) } });
        if (++forms >= 6) break;
      }
      if (forms >= 6) break;
    }
    expect(forms).toBeGreaterThan(3);
    expect(same / total).toBeGreaterThan(0.9);
  });

  it("a check mark on a box (V口, √口) or a solid box ticks it; 口 alone is an empty box", () => {
    const { fields } = fieldsFromPages(
      [page([row(0.1, "项目类型（可多选）", "口建立或巩固双边合作机制 V口学术研讨 口培训活动\n√口科学普及、科学文化等领域交流合作 ■人员交流"), row(0.2, "前期开展情况", "此前是否开展过该项目或类似项目？口是V口否")])],
      call,
    );
    expect(fields["project.types"]).toEqual(["seminar", "popularization", "personnel-exchange"]);
    expect(fields["basis.priorWork"]).toBe(false);
  });

  it("puts back the call's dashed names and a label read one character wrong, never a value", () => {
    const { fields } = fieldsFromPages([page([row(0.1, "项目名称", "中国一东盟人工智能技术人才培训班"), row(0.2, "联系大", "孙杰军"), row(0.3, "负责人", "联系大", "职称/职务", "理事长"), row(0.4, "所属合作机制", "中国-中亚", "合作国别", "哈萨克斯坦")])], call);
    expect(fields["cover.projectName"]).toBe("中国—东盟人工智能技术人才培训班");
    expect(fields["cover.contactName"]).toBe("孙杰军");
    expect(fields["unit.head"]).toBe("联系大");
    expect(fields["project.mechanism"]).toBe("china-central-asia");
  });

  it("the partners' section label read short (合作组织) beside its yes/no question makes no partner of the question", () => {
    const { fields } = fieldsFromPages(
      [page([row(0.1, "合作组织", "是否计划与国外对口组织合作开展本项目？■是口否"), row(0.2, "合作组织1", "南非国家研究基金会"), row(0.3, "合作基础", "双方自2019年起建立联系。")])],
      call,
    );
    expect(fields["basis.hasPartners"]).toBe(true);
    expect(fields["basis.partners"]).toEqual([{ name: "南非国家研究基金会", basis: "双方自2019年起建立联系。" }]);
  });

  it("a blank is its label and answer; an uppercase amount and a date in Chinese numerals read as from Word", () => {
    const blank = (y: number, label: string, answer: string): PageItem => ({ kind: "blank", page: 2, box: box(y), label: { text: label, box: box(y), confidence: 0.99 }, answer: cell(answer, y, 0.3) });
    const { fields, sources } = fieldsFromPages(
      [page([blank(0.1, "申报单位", "中国机械工程学会"), blank(0.2, "填报时间", "二〇二六年一月十日")], 2), page([row(0.1, "申请资助经费数额", "人民币壹拾贰万伍仟元整")], 3)],
      call,
    );
    expect(fields["cover.applicantUnit"]).toBe("中国机械工程学会");
    expect(fields["cover.filledDate"]).toBe("2026-01-10");
    expect(fields["funding.requestedAmountYuan"]).toBe(125000);
    expect(sources["cover.applicantUnit"]).toEqual({ source: "scan", page: 2, box: box(0.1, 0.3), confidence: 0.98, outcome: "found" });
  });

  it("an answer region read in full and empty is not-found; one with ink that nothing was read from, or read unsurely, is undecided", () => {
    const unread = { ...cell("", 0.2, 0.2), inked: true, confidence: 0.2 };
    const { fields, sources } = fieldsFromPages(
      [page([row(0.1, "地点", ""), { kind: "row", page: 1, box: box(0.2), cells: [cell("时间", 0.2), unread] }, row(0.3, "邮政编码", "（非一次性活动可据实填写）")])],
      call,
    );
    expect(fields["project.location"]).toBeNull();
    expect(sources["project.location"]).toMatchObject({ outcome: "not-found", confidence: 0.98, page: 1 });
    expect(sources["project.period"]).toMatchObject({ outcome: "undecided" });
    // A label never read says nothing about its answer.
    expect(sources["unit.head"]).toBeUndefined();
  });

  it("a label one character short of two labels is the one of the part of the form it stands in", () => {
    const blank = (y: number, label: string, answer: string): PageItem => ({ kind: "blank", page: 1, box: box(y), label: { text: label, box: box(y), confidence: 0.99 }, answer: cell(answer, y, 0.3) });
    const { fields } = fieldsFromPages(
      [page([blank(0.5, "电子箱", "li#qq.com")]), page([row(0.1, "一、项目申报单位基本情况"), row(0.2, "联系电话", "010-51775986", "电子箱", "gjb@cast.org.cn")], 2)],
      call,
    );
    // 电子邮箱 on the cover, 电子信箱 in the unit's table: the invalid address is kept as written, for its flag.
    expect(fields["cover.email"]).toBe("li#qq.com");
    expect(fields["unit.email"]).toBe("gjb@cast.org.cn");
  });

  it("partner cells all read clearly and empty are a partner list not found; one read unsurely leaves it undecided", () => {
    const partnerRows = (confidence: number) => [
      row(0.1, "合作组织情况", "是否计划与国外对口组织合作开展本项目？■是口否"),
      { kind: "row", page: 1, box: box(0.2), cells: [cell("合作组织1", 0.2), { ...cell("", 0.2, 0.2), confidence }] } as PageItem,
      { kind: "row", page: 1, box: box(0.3), cells: [cell("合作基础", 0.3), { ...cell("", 0.3, 0.2), confidence: 0.95 }] } as PageItem,
    ];
    const sure = fieldsFromPages([page(partnerRows(0.95))], call, call.decisions.field);
    expect(sure.fields["basis.hasPartners"]).toBe(true);
    expect(sure.fields["basis.partners"]).toBeNull();
    expect(sure.sources["basis.partners"]).toMatchObject({ outcome: "not-found", confidence: 0.95 });
    const unsure = fieldsFromPages([page(partnerRows(0.4))], call, call.decisions.field);
    expect(unsure.sources["basis.partners"]).toMatchObject({ outcome: "undecided", confidence: 0.4 });
  });

  it("gives empty fields for pages that are not a form", () => {
    const r = fieldsFromPages([page([{ kind: "line", page: 1, box: box(0.1), text: "这是一封询问截止时间的邮件。", confidence: 0.99 }])], call);
    expect(Object.values(r.fields).every((v) => v === null)).toBe(true);
  });
});
