import { createHash } from "node:crypto";
import type { Decisions, Fields, Flag, MessageResult, Review, Signoff, SubmissionResult } from "@intake/schema";
import { applyCorrections, type JournalEntry, type SubmissionReview } from "@intake/review";
import { completenessOf, type Completeness } from "./completeness.js";
import { parseFlagKey, type FlagContext } from "./flag-words.js";

/** One submission (one project form of one email): a row of every table. */
export interface SubmissionRow {
  /** Short stable id for links: a hash of message key and position, never a path. */
  id: string;
  messageKey: string;
  index: number;
  /** The record as every view shows it: the machine's, with the reviewers' corrections applied. */
  record: MessageResult;
  /** The machine's own submission, as the pipeline wrote it. */
  machine: SubmissionResult;
  receivedAt: string | null;
  mechanism: string | null;
  unit: string | null;
  project: string | null;
  fields: Fields;
  signoff: Signoff;
  /** The judgments (found / not-found / undecided) with their evidence; a reviewer's replace the machine's. */
  decisions: Decisions;
  /** Undecided judgments a person must look at. */
  review: Review;
  flags: string[];
  flagDetails: Flag[];
  /** Distinct flag codes, for filters and counts. */
  flagCodes: string[];
  completeness: Completeness;
  /** 受理编号: the reference printed on the receipt. */
  reference: string;
  /** The reviewers' state, corrections and history of this submission. */
  reviewed: SubmissionReview;
  word: string | null;
  scan: string[];
  /** Project identity across versions. */
  projectKey: string;
  /** 1-based version number among the project's submissions, by arrival. */
  version: number;
  /** Ids of all versions of the project (this one included), oldest first. */
  versionIds: string[];
  /** True when no later version of the project arrived. */
  latest: boolean;
}

export function rowId(messageKey: string, index: number): string {
  return createHash("sha256").update(`${messageKey}\u0000${index}`).digest("hex").slice(0, 16);
}

/** Short stable id of a message for links: a hash, never the key itself. */
export function messageRef(messageKey: string): string {
  return createHash("sha256").update(`message\u0000${messageKey}`).digest("hex").slice(0, 16);
}

function norm(s: string | null | undefined): string {
  return (s ?? "").normalize("NFKC").replace(/\s+/g, "").toLowerCase();
}

export interface BuildRowsOptions {
  /** The reviewers' journal entries by message key. */
  corrections?: ReadonlyMap<string, readonly JournalEntry[]>;
  /** The receipt's reference of a message (ackReference); default none. */
  reference?: (messageKey: string) => string;
}

const NO_REVIEW: SubmissionReview = { state: { state: "pending", note: "" }, corrections: [], history: [], receipts: [] };

/** Flattens records into submission rows, oldest first, with each project's versions linked and the journal applied. */
export function buildRows(records: readonly MessageResult[], o: BuildRowsOptions = {}): SubmissionRow[] {
  const rows: SubmissionRow[] = [];
  for (const machineRecord of records) {
    const entries = o.corrections?.get(machineRecord.messageKey);
    const corrected = entries?.length ? applyCorrections(machineRecord, entries) : null;
    const rec = corrected?.record ?? machineRecord;
    const reference = o.reference?.(rec.messageKey) ?? "";
    rec.submissions.forEach((s, index) => {
      const unit = s.fields["unit.name"] ?? s.fields["cover.applicantUnit"];
      const project = s.fields["cover.projectName"];
      const flagCodes = [...new Set(s.flags.map((f) => parseFlagKey(f).code))];
      const reviewed = corrected?.reviews[index] ?? NO_REVIEW;
      const review = s.review ?? { needed: false, reasons: [] };
      rows.push({
        id: rowId(rec.messageKey, index),
        messageKey: rec.messageKey,
        index,
        record: rec,
        machine: machineRecord.submissions[index]!,
        receivedAt: rec.receivedAt ?? null,
        mechanism: s.fields["project.mechanism"],
        unit,
        project,
        fields: s.fields,
        signoff: s.signoff,
        decisions: s.decisions ?? {},
        review,
        flags: s.flags,
        flagDetails: s.flagDetails ?? [],
        flagCodes,
        completeness: completenessOf(flagCodes, review.needed, reviewed.state.state !== "pending"),
        reference,
        reviewed,
        word: s.word,
        scan: s.scan,
        projectKey: s.projectKey ?? (unit || project ? `${norm(unit)}|${norm(project)}` : `${rec.messageKey}#${index}`),
        version: 1,
        versionIds: [],
        latest: true,
      });
    });
  }
  rows.sort((a, b) => (a.receivedAt ?? "").localeCompare(b.receivedAt ?? "") || a.messageKey.localeCompare(b.messageKey) || a.index - b.index);
  const byProject = new Map<string, SubmissionRow[]>();
  for (const r of rows) {
    const g = byProject.get(r.projectKey);
    if (g) g.push(r);
    else byProject.set(r.projectKey, [r]);
  }
  for (const group of byProject.values()) {
    const ids = group.map((r) => r.id);
    group.forEach((r, i) => {
      r.version = i + 1;
      r.versionIds = ids;
      r.latest = i === group.length - 1;
    });
  }
  return rows;
}

/** Whether a reviewer changed this row's judgment, field or flag (`decision:seal`, `field:unit.name`, `flag:late-submission`). */
export function correctionOf(r: SubmissionRow, key: string): SubmissionReview["corrections"][number] | undefined {
  return r.reviewed.corrections.find((c) => `${c.target.kind}:${"about" in c.target ? c.target.about : "key" in c.target ? c.target.key : ""}` === key);
}

/** What a row's flags are worded from: its flag details, fields, judgments and arrival. */
export function flagContext(r: SubmissionRow): FlagContext {
  return { details: r.flagDetails, fields: r.fields, decisions: r.decisions, receivedAt: r.receivedAt };
}
