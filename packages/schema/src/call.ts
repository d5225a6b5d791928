import type { Flag } from "./flags.js";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { DecisionThresholds } from "./decision.js";

/**
 * One call for applications: everything that changes from year to year.
 * Code reads it; nothing of it is hard-coded. Next year's call is a new file
 * under config/calls/.
 */
export const Mechanism = z.object({
  id: z.string().regex(/^[a-z][a-z-]*$/),
  name: z.string(),
  /** Other spellings applicants write (中国-东盟, 中国东盟机制, …); matched after normalisation. */
  aliases: z.array(z.string()).default([]),
  /** Canonical Chinese country names of the mechanism's region. */
  countries: z.array(z.string()).min(1),
});
export type Mechanism = z.infer<typeof Mechanism>;

export const ProjectType = z.object({
  id: z.string(),
  label: z.string(),
  /** Shorter forms of the label that identify the option in a ticked-box line. */
  aliases: z.array(z.string()).default([]),
});
export type ProjectType = z.infer<typeof ProjectType>;

export const AckWording = z.object({
  /**
   * The receipt's subject; `{title}` (the call's) and `{reference}` are filled in.
   * Nothing of the applicant's own subject is quoted (anyone can write it).
   */
  subject: z.string().default("Re: {title}（受理编号：{reference}）"),
  /** Opening lines; `{unit}`, `{project}`, `{reference}` are filled in. */
  greeting: z.string(),
  received: z.string(),
  complete: z.string(),
  incomplete: z.string(),
  /** Per flag code: what is wrong and how to fix it, in plain words. `{field}` is the field's label. */
  flags: z.record(z.string(), z.string()),
  deadline: z.string(),
  contact: z.string(),
  englishLine: z.string(),
  signature: z.string(),
  /** Heading of one project in the receipt; `{n}`, `{project}`, `{unit}` are filled in. */
  project: z.string().default("项目{n}：{project}（{unit}）"),
  /** Stands in for a unit or project name that could not be read. */
  unknown: z.string().default("未能识别"),
  /** Stands in for a unit or project name that carries a web address or a link: such text is never quoted. */
  withheld: z.string().default("（名称含网址，未予引用）"),
  /** Said of a project version sent by another sender than the current version's: it does not replace it by itself. */
  heldVersion: z.string().default("此前已有其他邮箱报送同名项目；本次材料将由工作人员核对后确定是否替代此前版本。"),
  /** Said of a follow-up (a file sent later) from another sender than the email it completes: it is not joined to it by itself. */
  heldFollowUp: z.string().default("本邮件补充的申报材料此前由其他邮箱报送；本次材料将由工作人员核对后确定是否并入此前的申报。"),
  /** Said in a corrected receipt once staff decided a held version replaces the earlier one. */
  versionAccepted: z.string().default("经工作人员核对，本次材料已替代此前报送的版本，以本次材料为准。"),
  /** Said in a corrected receipt once staff decided a held version does not replace the earlier one. */
  versionRejected: z.string().default("经工作人员核对，本次材料未替代此前由其他邮箱报送的版本；如有疑问，请来信说明。"),
  /** The same for a held follow-up: staff joined it to the earlier application, or did not. */
  followUpAccepted: z.string().default("经工作人员核对，本次补充的材料已并入此前的申报。"),
  followUpRejected: z.string().default("经工作人员核对，本次补充的材料未并入此前由其他邮箱报送的申报；如有疑问，请来信说明。"),
  /**
   * The whole body of a receipt to a From address the receiving server could not
   * authenticate (it may be forged): nothing of the email is quoted. `{reference}` is filled in.
   */
  unverified: z
    .string()
    .default(
      "您好！\n\n我们收到一封以本邮箱地址名义发送的申报邮件，受理编号：{reference}。由于收件服务器未能验证该邮件确由本邮箱发出，本回执不列出所收材料；材料将由工作人员核对，如需补充将另行联系。\n如该邮件并非您本人或贵单位发送，请忽略本回执，或来信告知我们。",
    ),
  /** Stands in for `{file}` when a flag names no attachment. */
  attachment: z.string().default("附件"),
  /** Said when no attachment was received at all. */
  noFiles: z.string().default("（未收到附件）"),
  /** Heading of problems about the email as a whole rather than one project. */
  messageIssues: z.string().default("邮件附件："),
  /**
   * Attachment reason code (ATTACHMENT_REASONS) → why the file could not be
   * read or was refused and what to send instead, said as `{detail}` of the
   * unreadable-/suspicious-attachment flags in the receipt and the report.
   */
  reasons: z.record(z.string(), z.string()).default({}),
  /** Field key → what a valid answer looks like, said in place of the checker's own `{detail}`. */
  fieldHints: z.record(z.string(), z.string()).default({}),
  /** Field key → its name in a receipt, where the form's first label is instruction text. */
  fieldNames: z.record(z.string(), z.string()).default({}),
  /** Said instead of `complete` when nothing is asked of the applicant but staff will check some items. */
  reviewOnly: z.string().default("经系统初步核对，暂未发现需要您补正的问题；部分事项将由工作人员人工核对，如需补正将另行通知。"),
  /** Heading of the items staff will check (machine judgments left undecided); nothing is asked about them. */
  review: z.string().default("以下事项将由工作人员人工核对，您无需为此补发材料："),
  /** What each undecided item is called; `field` is a template with `{field}`. */
  reviewItems: z
    .object({
      signature: z.string().default("申报单位负责人签字"),
      seal: z.string().default("单位公章"),
      scanMatch: z.string().default("扫描件与Word版申报书是否为同一份"),
      field: z.string().default("“{field}”一栏"),
      other: z.string().default("扫描件内容"),
    })
    .default({}),
  /** Put before the subject of a corrected receipt (更正回执). */
  correctionSubject: z.string().default("【更正】"),
  /** Opening of a corrected receipt: it replaces what the earlier receipt said. */
  correctionNote: z.string().default("此前发送的回执中，系统的个别判断经工作人员核对后已更正。请以本回执为准。"),
});
export type AckWording = z.infer<typeof AckWording>;

/** Wording of the reviewers' report. */
export const ReportWording = z.object({
  /** Per flag code: a short name for the report's tables and filters; unnamed codes fall back to `ack.flags`. */
  flagNames: z.record(z.string(), z.string()).default({}),
  /** Per review reason code: what a reviewer is asked to look at. */
  reviewNames: z.record(z.string(), z.string()).default({}),
  /**
   * Per attachment reason code (ATTACHMENT_REASONS): what happened to the file, for
   * reviewers (the receipt's `ack.reasons` say what the applicant should send instead).
   */
  reasonNames: z.record(z.string(), z.string()).default({}),
  /** The call's time zone as people name it, beside every time shown. */
  timeZoneName: z.string().default("北京时间"),
  /** What a submission's completeness is called. */
  completeness: z
    .object({
      complete: z.string().default("齐全"),
      review: z.string().default("齐全·需复核"),
      incomplete: z.string().default("不齐全"),
      late: z.string().default("逾期"),
    })
    .default({}),
  /** What each review state is called. */
  reviewStates: z
    .object({
      pending: z.string().default("待核对"),
      checked: z.string().default("已核对"),
      "needs-documents": z.string().default("需补件"),
      rejected: z.string().default("不予受理"),
    })
    .default({}),
  /** Per decision reason code: why a machine judgment came out as it did, for reviewers. */
  decisionReasons: z.record(z.string(), z.string()).default({}),
});
export type ReportWording = z.infer<typeof ReportWording>;

export const Call = z.object({
  id: z.string(),
  title: z.string(),
  /** The two official addresses; a message sent to both is one submission. */
  mailboxes: z.array(z.object({ id: z.string(), address: z.string().email() })).min(1),
  /**
   * The authserv-id(s) the mailboxes' receiving server writes first in
   * Authentication-Results (e.g. `mx.cast.org.cn`; `*` matches any run of
   * characters). Only those fields are believed; when empty, every
   * Authentication-Results field counts (a failure in any wins).
   */
  authServIds: z.array(z.string()).default([]),
  /** ISO 8601 with offset, e.g. 2026-01-15T00:00:00+08:00. */
  deadline: z.string().datetime({ offset: true }),
  timezone: z.string(),
  mechanisms: z.array(Mechanism).min(1),
  projectTypes: z.array(ProjectType).min(1),
  /** Country aliases to canonical names (泰王国 → 泰国). */
  countryAliases: z.record(z.string(), z.string()).default({}),
  /** Words that make a project read as research, platform-building or technology application. */
  excludedKinds: z.array(z.object({ kind: z.string(), patterns: z.array(z.string()) })).default([]),
  /** Field key → the label(s) the form prints for it. */
  labels: z.record(z.string(), z.array(z.string()).min(1)),
  /** Text printed by the template as instructions: never part of an answer. */
  instructionTexts: z.array(z.string()).default([]),
  /** What marks the sign-off page of the scanned copy. */
  signoffMarkers: z.array(z.string()).default([]),
  /** Minimum confidence per decision kind for a found or not-found to stand (else undecided). */
  decisions: DecisionThresholds.default({}),
  ack: AckWording,
  /** Optional: the report falls back to the acknowledgement's wording. */
  report: ReportWording.optional(),
});
export type Call = z.infer<typeof Call>;

/** Reads and validates a call file (YAML or JSON); the error names the bad key. */
export function loadCall(path: string): Call {
  const raw = parseYaml(readFileSync(path, "utf8"));
  const r = Call.safeParse(raw);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`call file ${path} is invalid: ${issues}`);
  }
  return r.data;
}

/**
 * What people read about an attachment flag: the call's words for its reason
 * (a refusal without a reason reads as damaged or disguised); other flags keep
 * their own detail.
 */
export function flagDetailText(call: Call, flag: Flag): string | undefined {
  if (flag.code !== "unreadable-attachment" && flag.code !== "suspicious-attachment") return flag.detail;
  const reason = flag.reason ?? (flag.code === "unreadable-attachment" ? "damaged" : "disguised");
  const words = call.ack.reasons[reason] ?? call.ack.reasons[flag.code === "unreadable-attachment" ? "damaged" : "disguised"];
  // Active content is named piece by piece (macros, a remote template, a script on opening), in our own Chinese.
  return reason === "active-content" && words && flag.detail ? `${words}：${flag.detail}` : words;
}
