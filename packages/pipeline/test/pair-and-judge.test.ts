import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { emptyFields, loadCall, type Decision, type Fields } from "@intake/schema";
import { pairFormsWithScans, type ScanCopy } from "../src/steps/pair.js";
import { coverMatch, judgeSubmission } from "../src/steps/judge.js";
import type { FormStage, ScanStage } from "../src/stage.js";

const call = loadCall(resolve(import.meta.dirname, "../../../config/calls/2026.yaml"));

function form(name: string, unit: string, project: string): FormStage {
  const fields: Fields = { ...emptyFields(), "cover.applicantUnit": unit, "cover.projectName": project };
  return { attachment: { name, path: `x/${name}`, type: "docx", size: 1, role: "word" }, readable: true, fields, sources: {}, flags: [] };
}
const sure = (found: boolean, confidence = 0.9): Decision => ({ outcome: found ? "found" : "not-found", confidence, reason: "read-in-full" });
function scanStage(cover: string | null, signature: boolean | Decision = true, seal: boolean | Decision = true): ScanStage {
  return {
    group: "g1", readable: true, pages: 5, pagesRead: 2,
    signature: typeof signature === "boolean" ? sure(signature) : signature,
    seal: typeof seal === "boolean" ? sure(seal) : seal,
    signedDate: null, coverText: cover, formPages: null, flags: [], timings: {},
  };
}
function scan(name: string, cover: string | null = null): ScanCopy {
  return { group: { id: name, files: [{ name, path: `x/${name}`, type: "pdf", size: 1, role: "scan" }] }, stage: scanStage(cover) };
}

describe("pairing forms with scans", () => {
  it("pairs two projects of one email by the project names in the file names", () => {
    const forms = [form("中阿空间信息领军人才对话会申报书.docx", "甲学会", "中阿空间信息领军人才对话会"), form("中阿荒漠农业青年学者互访计划申报书.docx", "乙协会", "中阿荒漠农业青年学者互访计划")];
    const scans = [scan("乙协会-中阿荒漠农业青年学者互访计划（盖章版）.pdf"), scan("申报书扫描件-中阿空间信息领军人才对话会.pdf")];
    const pairs = pairFormsWithScans(forms, scans);
    expect(pairs.map((p) => [p.form?.attachment.name, p.scan?.group.id])).toEqual([
      ["中阿空间信息领军人才对话会申报书.docx", "申报书扫描件-中阿空间信息领军人才对话会.pdf"],
      ["中阿荒漠农业青年学者互访计划申报书.docx", "乙协会-中阿荒漠农业青年学者互访计划（盖章版）.pdf"],
    ]);
  });
  it("pairs by the scanned cover when file names say nothing", () => {
    const forms = [form("附件2.docx", "甲学会", "青年科学家对话会"), form("附件2(1).docx", "乙学会", "绿色发展培训班")];
    const scans = [scan("SCAN_0001.pdf", "申 报 单 位 乙 学 会 项 目 名 称 绿 色 发 展 培 训 班"), scan("SCAN_0002.pdf", "申报单位 甲学会 项目名称 青年科学家对话会")];
    const pairs = pairFormsWithScans(forms, scans);
    expect(pairs.map((p) => p.scan?.group.id)).toEqual(["SCAN_0002.pdf", "SCAN_0001.pdf"]);
  });
  it("pairs a lone form with a lone scan even when their names differ, and leaves extras alone", () => {
    expect(pairFormsWithScans([form("a.docx", "甲", "项目一")], [scan("SCAN.pdf")])[0]!.scan?.group.id).toBe("SCAN.pdf");
    const pairs = pairFormsWithScans([form("a.docx", "甲", "项目一")], []);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]!.scan).toBeNull();
    expect(pairFormsWithScans([], [scan("s.pdf")])[0]!.form).toBeNull();
  });
});

describe("judging a project", () => {
  const fields = { ...emptyFields(), "cover.applicantUnit": "中国测绘学会", "cover.projectName": "中拉卫生健康科技社团合作机制建设" };
  it("sees a scanned cover of another project, and cannot tell from a cover barely read", () => {
    expect(coverMatch(fields, "申报单位：中国测绘学会 项目名称：中拉卫生健康科技社团合作机制建设").outcome).toBe("found");
    const other = coverMatch(fields, "申报单位：中国测绘学会 项目名称：中俄青年科学家北极交流互访计划");
    expect(other).toMatchObject({ outcome: "not-found", detail: expect.stringMatching(/项目名称/) });
    expect(other.evidence).toMatchObject({ expected: "中拉卫生健康科技社团合作机制建设", actual: expect.stringMatching(/中俄青年科学家/) });
    expect(coverMatch(fields, "申 报").outcome).toBe("undecided");
  });
  const f = form("a.docx", "中国测绘学会", "中拉卫生健康科技社团合作机制建设");
  const base = { form: f, fields: f.fields, fieldFlags: [], call };
  const codes = (j: { flags: { code: string }[] }) => j.flags.map((y) => y.code).sort();
  it("flags what is missing, unsigned, unsealed and late", () => {
    expect(codes(judgeSubmission({ ...base, scan: null, scanPresent: false, receivedAt: "2026-01-14T15:59:00Z" }))).toEqual(["missing-scan"]);
    const unsigned = judgeSubmission({ ...base, scan: scanStage(null, false, false), scanPresent: true, receivedAt: "2026-01-14T16:00:01Z" });
    expect(codes(unsigned)).toEqual(["late-submission", "missing-seal", "missing-signature"]);
    expect(unsigned.signoff).toMatchObject({ signature: false, seal: false });
    expect(codes(judgeSubmission({ ...base, form: null, scan: scanStage(null), scanPresent: true, receivedAt: null }))).toEqual(["missing-word-file"]);
  });
  it("demands nothing for an undecided or unsure judgment, and lists it for review", () => {
    const cut: Decision = { outcome: "undecided", confidence: 0, reason: "budget-spent" };
    const j = judgeSubmission({ ...base, scan: scanStage(null, cut, sure(false, 0.6)), scanPresent: true, receivedAt: null });
    expect(codes(j)).toEqual([]);
    expect(j.signoff).toMatchObject({ signature: null, seal: null });
    expect(j.decisions.seal).toMatchObject({ outcome: "undecided", reason: "low-confidence" });
    expect(j.review.map((r) => [r.about, r.reason])).toEqual([
      ["signature", "budget-spent"],
      ["seal", "low-confidence"],
      ["scanMatch", "too-little-text"],
    ]);
  });
  it("a scan whose inspection failed for good is undecided, never unreadable or missing", () => {
    const j = judgeSubmission({ ...base, scan: null, scanPresent: true, scanFailed: true, receivedAt: null });
    expect(codes(j)).toEqual([]);
    expect(j.decisions.signature).toMatchObject({ outcome: "undecided", reason: "job-failed" });
    expect(j.review.length).toBe(3);
  });
  it("a field from a scan is demanded only when read confidently", () => {
    const fieldFlags = [{ code: "missing-field" as const, field: "project.location" }, { code: "missing-field" as const, field: "project.period" }];
    const sources = { "project.period": { source: "scan" as const, outcome: "not-found" as const, confidence: 0.95 } };
    const j = judgeSubmission({ ...base, form: null, fieldFlags, sources, scan: scanStage(null), scanPresent: true, receivedAt: null });
    expect(j.flags.filter((x) => x.code === "missing-field").map((x) => x.field)).toEqual(["project.period"]);
    expect(j.review).toEqual([expect.objectContaining({ about: "field", field: "project.location" })]);
  });
  it("a field required on another answer is demanded only when that answer was read surely too", () => {
    const fieldFlags = [{ code: "missing-field" as const, field: "basis.partners" }];
    const empty = { source: "scan" as const, outcome: "not-found" as const, confidence: 0.95 };
    const judged = (ticked: number) =>
      judgeSubmission({ ...base, form: null, fieldFlags, sources: { "basis.partners": empty, "basis.hasPartners": { source: "scan", outcome: "found", confidence: ticked } }, scan: scanStage(null), scanPresent: true, receivedAt: null });
    expect(judged(0.9).flags.map((x) => x.field)).toContain("basis.partners");
    expect(judged(0.3).flags.map((x) => x.field)).not.toContain("basis.partners");
    expect(judged(0.3).review).toEqual([expect.objectContaining({ about: "field", field: "basis.partners" })]);
  });
});
