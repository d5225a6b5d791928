import { FIELD_KEYS } from "@intake/schema";
import type { JournalEntry } from "@intake/review";
import { localDateTime, localWallClock } from "./dates.js";
import { fieldText, signoffText } from "./field-text.js";
import { flagList, flagWords } from "./flag-words.js";
import type { ReportLabels } from "./labels.js";
import { reviewReasonWords, rowReviewReasons } from "./review-words.js";
import { correctionOf, flagContext, type SubmissionRow } from "./rows.js";
import { versionStanding, versionWords } from "./version-words.js";

/** A cell's value: text stays text (IDs, codes), numbers are numbers, times are dates. */
export type CellValue = string | number | Date | null;

/** One column of the CSV and the workbook: a unique Chinese header and the cell of a row. */
export interface Column {
  header: string;
  /** Width in characters, for the workbook. */
  width: number;
  kind: "text" | "number" | "date";
  value(r: SubmissionRow): CellValue;
  /** A link to put on the cell in the workbook. */
  link?(r: SubmissionRow): string | undefined;
  /** The reviewer's correction behind this cell, when there is one (marked in the workbook). */
  correction?(r: SubmissionRow): JournalEntry | undefined;
}

export interface ColumnOptions {
  /** The web view's address (https://host): the reference cell links to the submission's page. */
  baseUrl?: string;
}

const SECTION_NAMES: [string, string][] = [
  ["cover.", "封面"],
  ["unit.", "单位"],
  ["project.", "项目"],
  ["basis.", "合作基础"],
  ["plan", "工作设想"],
  ["funding.", "经费"],
];

function decisionText(r: SubmissionRow, about: "signature" | "seal"): string {
  return signoffText(r.signoff[about], r.scan.length > 0);
}

function who(e: { by?: string; byName?: string }): string {
  return e.byName ?? e.by ?? "";
}

/** The columns of the files, in order: reference and time, who and what, the review, the state, then every field of the form. */
export function reportColumns(labels: ReportLabels, o: ColumnOptions = {}): Column[] {
  const tz = labels.timezone;
  const base = o.baseUrl?.replace(/\/+$/, "");
  const text = (header: string, width: number, value: (r: SubmissionRow) => string, extra: Partial<Column> = {}): Column => ({ header, width, kind: "text", value, ...extra });
  const head: Column[] = [
    text("受理编号", 15, (r) => r.reference, { link: base ? (r) => `${base}/s/${r.id}` : undefined }),
    { header: `收到时间（${labels.timeZoneName}）`, width: 17, kind: "date", value: (r) => localWallClock(r.receivedAt, tz) },
    text("所属合作机制", 12, (r) => labels.mechanism(r.mechanism)),
    text("申报单位", 24, (r) => r.unit ?? ""),
    text("项目名称", 32, (r) => r.project ?? ""),
    text("材料情况", 12, (r) => labels.completeness(r.completeness)),
    text("核对状态", 10, (r) => labels.reviewState(r.reviewed.state.state)),
    text("核对人", 10, (r) => who(r.reviewed.state)),
    { header: `核对时间（${labels.timeZoneName}）`, width: 17, kind: "date", value: (r) => localWallClock(r.reviewed.state.at, tz) },
    text("核对意见", 30, (r) => r.reviewed.state.note),
    text("审核更正", 40, (r) => r.reviewed.corrections.map((c) => `${correctionTarget(c, labels)}（${who(c)} ${localDateTime(c.at, tz)}：${c.why}）`).join("\n")),
    text("问题", 40, (r) => flagList(r.flags, labels, flagContext(r)).join("\n")),
    text("待人工判断", 10, (r) => (r.review.needed ? "是" : "否")),
    text("待人工判断的原因", 30, (r) => [...new Set(rowReviewReasons(r).map((x) => reviewReasonWords(x, labels)))].join("\n")),
    text("版本", 12, (r) => {
      const held = versionStanding(r);
      return `第${r.version}版（共${r.versionIds.length}版）${r.latest ? "" : "，已有更新版本"}${held ? `；${versionWords(held, labels)}` : ""}`;
    }, { correction: (r) => correctionOf(r, "version:") }),
    text("负责人签字", 10, (r) => decisionText(r, "signature"), { correction: (r) => correctionOf(r, "decision:signature") }),
    text("单位公章", 10, (r) => decisionText(r, "seal"), { correction: (r) => correctionOf(r, "decision:seal") }),
    text("扫描件与Word版", 10, (r) => ({ found: "一致", "not-found": "不一致", undecided: "待人工核对" })[r.decisions.scanMatch?.outcome ?? "undecided"] ?? "", { correction: (r) => correctionOf(r, "decision:scanMatch") }),
    text("Word文件", 30, (r) => r.word ?? ""),
    text("扫描件", 30, (r) => r.scan.join("\n")),
    text("发件人", 24, (r) => r.record.from ?? ""),
    text("邮件主题", 30, (r) => r.record.subject ?? ""),
    text("Message-ID", 30, (r) => r.record.messageId ?? ""),
  ];
  const used = new Set(head.map((c) => c.header));
  const fields: Column[] = FIELD_KEYS.map((k) => {
    let header = labels.field(k);
    // The cover repeats the unit's and the project's names: the form's section tells them apart.
    if (used.has(header)) header = `${SECTION_NAMES.find(([p]) => k.startsWith(p))?.[1] ?? "表"}·${header}`;
    used.add(header);
    const numeric = k.endsWith("Yuan");
    return {
      header,
      width: k === "plan" || k.endsWith("Details") || k === "basis.partners" ? 50 : 16,
      kind: numeric ? "number" : "text",
      value: (r: SubmissionRow) => {
        const v = fieldText(r.fields, k, labels);
        return numeric ? (typeof v === "number" ? v : null) : String(v);
      },
      correction: (r: SubmissionRow) => correctionOf(r, `field:${k}`),
    };
  });
  return [...head, ...fields];
}

/** What a correction was about, in words. */
export function correctionTarget(c: JournalEntry, labels: ReportLabels): string {
  const t = c.target;
  const outcome = (v: unknown) => ((v as { outcome?: string } | null)?.outcome === "found" ? "有" : (v as { outcome?: string } | null)?.outcome === "not-found" ? "无" : "待定");
  if (t.kind === "decision") return `${{ signature: "负责人签字", seal: "单位公章", scanMatch: "扫描件与Word版一致" }[t.about]}：${outcome(c.before)}→${outcome(c.after)}`;
  if (t.kind === "field") return `${labels.field(t.key)}已更正`;
  if (t.kind === "flag") return `${flagWords(t.key, labels)}：${c.after ? "成立" : "不成立"}`;
  if (t.kind === "version") return (c.after as { decision?: string } | null)?.decision === "accepted" ? "其他发件人的版本：确认替代此前版本" : "其他发件人的版本：确认不替代";
  return "";
}
