import type { Fields, FieldKey } from "@intake/schema";
import type { ReportLabels } from "./labels.js";

/**
 * A field's value as plain text for a cell: lists joined with 、, booleans as
 * 是/否, type ids and mechanism ids as their labels, partners one per line.
 * Empty is "". Numbers stay numbers (spreadsheets sum them).
 */
export function fieldText(fields: Fields, key: FieldKey, labels: ReportLabels): string | number {
  const v = fields[key];
  if (v === null || v === undefined) return "";
  if (key === "project.mechanism" && typeof v === "string") return labels.mechanism(v);
  if (key === "project.types" && Array.isArray(v)) return (v as string[]).map((t) => labels.projectType(t)).join("、");
  if (key === "basis.partners" && Array.isArray(v)) {
    return (v as { name: string | null; basis: string | null }[])
      .map((p, i) => `${i + 1}. ${p.name ?? ""}${p.basis ? `：${p.basis}` : ""}`)
      .join("\n");
  }
  if (Array.isArray(v)) return v.map(String).join("、");
  if (typeof v === "boolean") return v ? "是" : "否";
  if (typeof v === "number") return v;
  return String(v);
}

/** 有 / 无 / 无扫描件 for a sign-off decision. */
export function signoffText(v: boolean | null | undefined, hasScan = false): string {
  if (v === true) return "有";
  if (v === false) return "未见";
  return hasScan ? "待人工核对" : "无扫描件";
}
