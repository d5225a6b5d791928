import { createHash } from "node:crypto";
import type { Decisions, Fields, Flag, MessageResult, Review, Signoff } from "@intake/schema";
import { parseFlagKey } from "./flag-words.js";

/** One submission (one project form of one email): a row of every table. */
export interface SubmissionRow {
  /** Short stable id for links: a hash of message key and position, never a path. */
  id: string;
  messageKey: string;
  index: number;
  record: MessageResult;
  receivedAt: string | null;
  mechanism: string | null;
  unit: string | null;
  project: string | null;
  fields: Fields;
  signoff: Signoff;
  /** The machine's judgments (found / not-found / undecided) with their evidence. */
  decisions: Decisions;
  /** Undecided judgments a person must look at. */
  review: Review;
  flags: string[];
  flagDetails: Flag[];
  /** Distinct flag codes, for filters and counts. */
  flagCodes: string[];
  /** No missing material or empty required field. */
  complete: boolean;
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

const MISSING = /^missing-/;

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

/** Flattens records into submission rows, oldest first, with each project's versions linked. */
export function buildRows(records: readonly MessageResult[]): SubmissionRow[] {
  const rows: SubmissionRow[] = [];
  for (const rec of records) {
    rec.submissions.forEach((s, index) => {
      const unit = s.fields["unit.name"] ?? s.fields["cover.applicantUnit"];
      const project = s.fields["cover.projectName"];
      const flagCodes = [...new Set(s.flags.map((f) => parseFlagKey(f).code))];
      rows.push({
        id: rowId(rec.messageKey, index),
        messageKey: rec.messageKey,
        index,
        record: rec,
        receivedAt: rec.receivedAt ?? null,
        mechanism: s.fields["project.mechanism"],
        unit,
        project,
        fields: s.fields,
        signoff: s.signoff,
        decisions: s.decisions ?? {},
        review: s.review ?? { needed: false, reasons: [] },
        flags: s.flags,
        flagDetails: s.flagDetails ?? [],
        flagCodes,
        complete: !flagCodes.some((c) => MISSING.test(c)),
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
  for (const r of rows) byProject.set(r.projectKey, [...(byProject.get(r.projectKey) ?? []), r]);
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
