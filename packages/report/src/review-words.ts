import type { ReviewReason } from "@intake/schema";
import type { ReportLabels } from "./labels.js";
import type { SubmissionRow } from "./rows.js";

const DECISION_TITLES: Record<string, string> = { signature: "负责人签字", seal: "单位公章", scanMatch: "扫描件与Word版是否为同一份" };

// A reason's own detail is shown when it is the pipeline's Chinese: addresses, Message-IDs and
// what a server wrote (dmarc=fail) in it are fine, English sentences (an ops note) belong in the logs.
function chineseDetail(s: string | undefined): string | undefined {
  if (!s || !/[\u4e00-\u9fff]/.test(s)) return undefined;
  const bare = s
    .replace(/<[^<>\s]*>/g, "")
    .replace(/[^\s<>()（）、，；：]+@[^\s<>()（）、，；：]+/g, "")
    .replace(/[\w.-]+=[\w.@-]*/g, "");
  return /[A-Za-z]{4,}/.test(bare) ? undefined : s;
}

/** The short name of why a person must look (the call's `report.reviewNames`); an undecided judgment names what is undecided. */
export function reviewReasonName(r: ReviewReason, labels: ReportLabels): string {
  if (r.code !== "undecided") return labels.reviewReason(r.code);
  const what = r.about === "field" && r.field ? `“${labels.field(r.field)}”一栏` : r.about ? (DECISION_TITLES[r.about] ?? labels.reviewReason(r.code)) : labels.reviewReason(r.code);
  return r.reason ? `${what}（${labels.decisionReason(r.reason)}）` : what;
}

/** Why a person must look, in full: the name and, for the message-level reasons, what the pipeline found. */
export function reviewReasonWords(r: ReviewReason, labels: ReportLabels): string {
  const name = reviewReasonName(r, labels);
  const detail = r.code === "undecided" ? undefined : chineseDetail(r.detail);
  return detail ? `${name}：${detail}` : name;
}

/** The distinct short names of a review, for a list's cell. */
export function reviewNames(reasons: readonly ReviewReason[], labels: ReportLabels): string[] {
  return [...new Set(reasons.map((r) => (r.code === "undecided" ? labels.reviewReason("undecided") : labels.reviewReason(r.code))))];
}

/**
 * Why a person must look at a row: its project's reasons and the message's
 * own (a forged From, a refused structure), each once. The pipeline copies
 * the message's onto every project; a record written otherwise still shows them.
 */
export function rowReviewReasons(r: SubmissionRow): ReviewReason[] {
  const seen = new Set<string>();
  const held = new Set(["other-sender-version", "other-sender-follow-up"]);
  // A held version a reviewer decided is settled on the project; the message keeps no copy of it.
  const own = r.record.review?.reasons.filter((x) => !held.has(x.code)) ?? [];
  return [...r.review.reasons, ...own].filter((x) => {
    const k = `${x.code}|${x.about ?? ""}|${x.field ?? ""}|${x.detail ?? ""}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
