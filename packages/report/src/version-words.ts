import type { JournalEntry } from "@intake/review";
import { localDateTime } from "./dates.js";
import type { ReportLabels } from "./labels.js";
import { correctionOf, type SubmissionRow } from "./rows.js";

/** Where a version held for review stands: waiting, or what a reviewer decided and who. */
export interface VersionStanding {
  state: "held" | "accepted" | "rejected";
  /** A follow-up (a file sent later) from another sender, rather than a version of its own. */
  followUp: boolean;
  /** The reviewer's journal entry, once decided. */
  entry?: JournalEntry;
}

/** Undefined for a version that was never held. */
export function versionStanding(r: SubmissionRow): VersionStanding | undefined {
  const held = r.record.submissions[r.index]?.heldVersion;
  if (!held) return undefined;
  const followUp = (r.machine.review?.reasons ?? []).some((x) => x.code === "other-sender-follow-up");
  return { state: held.decision ?? "held", followUp, entry: correctionOf(r, "version:") };
}

/** The standing in words, for the version column, the detail page and the journal's history. */
export function versionWords(v: VersionStanding, labels: ReportLabels): string {
  const what = v.followUp ? "补件来自其他发件人" : "同名项目的新版本来自其他发件人";
  if (v.state === "held") return `${what}，${v.followUp ? "待确认是否并入原申报" : "待确认是否替代当前版本"}`;
  const by = v.entry ? `${v.entry.byName ?? v.entry.by}于${localDateTime(v.entry.at, labels.timezone)}（${labels.timeZoneName}）` : "审核人";
  return `${what}，${by}确认${v.state === "accepted" ? (v.followUp ? "并入原申报" : "替代此前版本") : v.followUp ? "不并入原申报" : "不替代当前版本"}`;
}
