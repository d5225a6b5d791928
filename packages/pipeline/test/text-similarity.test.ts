import { describe, expect, it } from "vitest";
import { containment, foldName, similarity } from "../src/text-similarity.js";

describe("name comparison", () => {
  it("folds OCR spacing and full-width punctuation away", () => {
    expect(foldName("中 国 地 理 学 会（盖章）")).toBe("中国地理学会盖章");
  });
  it("finds a name written in full inside OCR text with spaces", () => {
    expect(containment("中国地理学会", "申 报 单 位 ： 中 国 地 理 学 会 项 目 名 称")).toBe(1);
  });
  it("tells a different project from the same one", () => {
    const cover = "申报单位：中国测绘学会 项目名称：中拉卫生健康科技社团合作机制建设";
    expect(containment("中拉卫生健康科技社团合作机制建设", cover)).toBe(1);
    expect(containment("中阿荒漠农业青年学者互访计划", cover)).toBeLessThan(0.3);
  });
  it("scores similar file names higher than unrelated ones", () => {
    expect(similarity("中阿空间信息领军人才对话会", "申报书扫描件-中阿空间信息领军人才对话会")).toBeGreaterThan(
      similarity("中阿空间信息领军人才对话会", "甘肃省科学技术协会-中阿荒漠农业青年学者互访计划"),
    );
  });
});
