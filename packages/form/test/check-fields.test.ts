import { emptyFields, flagKey, loadCall, type Fields } from "@intake/schema";
import { describe, expect, it } from "vitest";
import { checkFields } from "../src/index.js";
import { callFile, expectedFor, samplesDir } from "../scripts/corpus-forms.js";

const call = loadCall(callFile);
/** A complete, valid form from a sample's ground truth (msg-016 carries no form flags). */
const base = (): Fields => ({ ...emptyFields(), ...(expectedFor("msg-016", samplesDir)[0]!.fields as Partial<Fields>) });
const keys = (f: Fields) => checkFields(f, call).map(flagKey).sort();

describe("checkFields", () => {
  it("a complete valid form has no flags", () => expect(keys(base())).toEqual([]));

  it("an empty form misses every required field, no conditional ones", () => {
    const k = keys(emptyFields());
    expect(k).toContain("missing-field:cover.applicantUnit");
    expect(k).toContain("missing-field:project.types");
    expect(k).toContain("missing-field:basis.priorWork");
    expect(k).not.toContain("missing-field:unit.undertaker");
    expect(k).not.toContain("missing-field:funding.requestedAmount");
    expect(k).not.toContain("missing-field:basis.partners");
  });

  it("conditional fields: details when priorWork, partners when hasPartners, amount when requested, typeOther when other", () => {
    const f = base();
    f["basis.priorWork"] = true;
    f["basis.priorWorkDetails"] = null;
    f["basis.hasPartners"] = true;
    f["basis.partners"] = null;
    f["funding.requested"] = true;
    f["funding.requestedAmount"] = null;
    f["project.types"] = ["seminar", "other"];
    f["project.typeOther"] = null;
    expect(keys(f)).toEqual([
      "missing-field:basis.partners",
      "missing-field:basis.priorWorkDetails",
      "missing-field:funding.requestedAmount",
      "missing-field:project.typeOther",
    ]);
    f["basis.priorWork"] = false;
    f["basis.hasPartners"] = false;
    f["funding.requested"] = false;
    f["project.types"] = ["seminar"];
    expect(keys(f)).toEqual([]);
  });

  it.each([
    ["unit.creditCode", "51100000005918654S"],
    ["cover.mobile", "1304567890"],
    ["cover.mobile", "12345678901"],
    ["cover.phone", "62-01"],
    ["cover.email", "3668495047#qq.com"],
    ["unit.email", "xsb＠cs-re.org.cn"],
    ["unit.postalCode", "10008"],
    ["cover.address", "北京市海淀区学院南路76号"],
    ["cover.filledDate", "2026年2月30日"],
    ["unit.name", "中国稀土协会"],
    ["project.mechanism", "中日韩"],
  ])("invalid %s: %s", (key, value) => {
    const f = base();
    (f as Record<string, unknown>)[key] = value;
    const flags = checkFields(f, call);
    expect(flags.map(flagKey)).toEqual([`invalid-field:${key}`]);
    expect(flags[0]!.detail).toBeTruthy();
  });

  it("a date OCR could not resolve is not blamed on the applicant; a typed bad date is", () => {
    const f = base();
    f["cover.filledDate"] = "二三入年二月三月";
    expect(checkFields(f, call, { ocr: true }).map(flagKey)).toEqual([]);
    expect(checkFields(f, call).map(flagKey)).toEqual(["invalid-field:cover.filledDate"]);
    f["cover.filledDate"] = "一月二日";
    expect(checkFields(f, call, { ocr: true }).map(flagKey)).toEqual([]);
    f["cover.filledDate"] = "下周";
    expect(checkFields(f, call, { ocr: true }).map(flagKey)).toEqual(["invalid-field:cover.filledDate"]);
  });

  it("names the right check character of a credit code", () => {
    const f = base();
    f["unit.creditCode"] = "5110000085328712XE";
    expect(checkFields(f, call)[0]!.detail).toContain("D");
  });

  it.each(["010-62013138", "(0571)87654321", "0755 8888 6666", "13912345678", "010-62013138转123"])("accepts the phone %s", (p) => {
    const f = base();
    f["cover.phone"] = p;
    expect(keys(f)).toEqual([]);
  });

  it("country outside the mechanism's region", () => {
    const f = base();
    f["project.countries"] = ["德国", "日本"];
    const flags = checkFields(f, call);
    expect(flags.map(flagKey)).toEqual(["country-outside-mechanism"]);
    expect(flags[0]!.detail).toContain("日本");
  });

  it("excluded project kinds: by name or other type, by plan only when it recurs", () => {
    const f = base();
    f["cover.projectName"] = "中欧绿色发展联合实验室平台建设";
    expect(keys(f)).toEqual(["excluded-project-kind"]);
    const g = base();
    g.plan = "围绕绿色发展开展交流，并介绍双方的技术转移经验。";
    expect(keys(g)).toEqual([]);
    g.plan = "开展联合研究，组织课题研究，形成成果转化方案。";
    expect(keys(g)).toEqual(["excluded-project-kind"]);
  });
});
