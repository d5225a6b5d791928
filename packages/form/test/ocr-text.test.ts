import { loadCall } from "@intake/schema";
import { describe, expect, it } from "vitest";
import { fieldsFromText } from "../src/index.js";
import { callFile } from "../scripts/corpus-forms.js";

const call = loadCall(callFile);

describe("OCR text of a form", () => {
  it("a check mark on a box (V口, VO) ticks it; 口 alone is an empty box", () => {
    const text = [
      "项目类型（可多选） | 口建立或巩固双边合作机制 V口学术研讨 口培训活动",
      "VO科学普及、科学文化等领域交流合作 口人员交流",
      "此前是否开展过该项目或类似项目？口是V口否",
    ].join("\n");
    const { fields } = fieldsFromText(text, call);
    expect(fields["project.types"]).toEqual(["seminar", "popularization"]);
    expect(fields["basis.priorWork"]).toBe(false);
  });

  it("a solid box found in the scan (■) ticks the option after it", () => {
    const { fields } = fieldsFromText("项目类型（可多选） | ■ 建立或巩固双边合作机制 ■ 学术研讨 口培训活动\n是否申请中国科协经费资助本项目？■ 是 口否", call);
    expect(fields["project.types"]).toEqual(["mechanism", "seminar"]);
    expect(fields["funding.requested"]).toBe(true);
  });

  it("puts back the dash OCR reads as 一 in the call's names", () => {
    const { fields } = fieldsFromText("项目名称 | 中国一东盟人工智能技术人才培训班\n所属合作机制 | 中国-中亚 | 合作国别 | 哈萨克斯坦", call);
    expect(fields["cover.projectName"]).toBe("中国—东盟人工智能技术人才培训班");
    expect(fields["project.mechanism"]).toBe("china-central-asia");
  });

  it("puts right a label cell read one character wrong, not a value", () => {
    const { fields } = fieldsFromText("联系大 | 孙杰军\n负责人 | 联系大 | 职称/职务 | 理事长", call);
    expect(fields["cover.contactName"]).toBe("孙杰军");
    expect(fields["unit.head"]).toBe("联系大");
    expect(fields["unit.headTitle"]).toBe("理事长");
  });
});
