import { FIELD_KEYS } from "@intake/schema";
import { localDateTime } from "./dates.js";
import { fieldText, signoffText } from "./field-text.js";
import { flagWords } from "./flag-words.js";
import type { ReportLabels } from "./labels.js";
import type { SubmissionRow } from "./rows.js";

/** One column of the CSV and the workbook: a Chinese header and the cell of a row. */
export interface Column {
  header: string;
  /** Width in characters, for the workbook. */
  width: number;
  value(r: SubmissionRow): string | number;
}

/** The columns of the files, in order: who and when, the state, then every field of the form. */
export function reportColumns(labels: ReportLabels): Column[] {
  const tz = labels.timezone;
  const head: Column[] = [
    { header: "收到时间", width: 17, value: (r) => localDateTime(r.receivedAt, tz) },
    { header: "所属合作机制", width: 12, value: (r) => labels.mechanism(r.mechanism) },
    { header: "申报单位", width: 24, value: (r) => r.unit ?? "" },
    { header: "项目名称", width: 32, value: (r) => r.project ?? "" },
    { header: "材料是否齐全", width: 10, value: (r) => (r.complete ? "齐全" : "不齐全") },
    { header: "问题", width: 40, value: (r) => r.flags.map((f) => flagWords(f, labels, r.flagDetails)).join("\n") },
    { header: "版本", width: 8, value: (r) => `${r.version}/${r.versionIds.length}${r.latest ? "" : "（已更新）"}` },
    { header: "签字", width: 8, value: (r) => signoffText(r.signoff.signature, r.scan.length > 0) },
    { header: "公章", width: 8, value: (r) => signoffText(r.signoff.seal, r.scan.length > 0) },
    { header: "Word文件", width: 30, value: (r) => r.word ?? "" },
    { header: "扫描件", width: 30, value: (r) => r.scan.join("\n") },
    { header: "发件人", width: 24, value: (r) => r.record.from ?? "" },
    { header: "邮件主题", width: 30, value: (r) => r.record.subject ?? "" },
  ];
  const fields: Column[] = FIELD_KEYS.map((k) => ({
    header: labels.field(k),
    width: k === "plan" || k.endsWith("Details") || k === "basis.partners" ? 50 : 16,
    value: (r: SubmissionRow) => fieldText(r.fields, k, labels),
  }));
  return [...head, ...fields];
}
