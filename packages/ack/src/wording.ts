import type { Call, Flag, FlagCode, MessageResult, SubmissionResult } from "@intake/schema";
import { FlagCode as FlagCodeSchema, flagDetailText, REVIEWER_ONLY_REASONS } from "@intake/schema";
import { defang, defangFileName, oneLine } from "./safe-text.js";

/**
 * What a receipt quotes from the email is only what identifies the
 * submission (the unit, the project, the file names), each capped and made
 * inert: the receipt goes out from an official mailbox, to an address anyone
 * can forge, so it must never carry a sender's instructions or links.
 */
const MAX_PROJECT = 50;
const MAX_UNIT = 40;
const MAX_FILE = 80;
const MAX_VALUE = 200;
const MAX_FILES = 50;
const LINK = /\b(?:[a-z][a-z0-9+.-]{1,15}:\/\/|www\.)|\b(?:[a-z0-9-]+\.)+[a-z]{2,24}\b|\b[a-z][a-z0-9+.-]{1,15}:[^\s]/i;

/** A unit or project name as the receipt quotes it: one short line, or withheld when it carries a link. */
function quotedName(value: string | null | undefined, max: number, call: Call): string {
  const v = oneLine(value, max);
  if (!v) return "";
  return LINK.test(oneLine(value, MAX_VALUE * 4)) ? call.ack.withheld : defang(v);
}

/** A file name as the receipt quotes it: short, defanged, its extension readable. */
export function quotedFile(name: string | null | undefined): string {
  return defangFileName(oneLine(name, MAX_FILE));
}

/** One project's part of the receipt, as plain strings (not yet escaped). */
export interface ProjectSection {
  heading: string;
  files: string[];
  /** What the applicant is asked to do: confident findings only. */
  issues: string[];
  /** What staff will check (undecided judgments): nothing is asked about these. */
  checks: string[];
  notes: string[];
}

export interface AckContent {
  greeting: string;
  projects: ProjectSection[];
  /** Issues about the message as a whole (an attachment no project claims). */
  messageIssues: string[];
  /** Files when no project form was found. */
  looseFiles: string[];
}

/** Fills `{name}` placeholders; values are already one-line safe. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? values[k]! : m));
}

function toFlags(s: SubmissionResult): Flag[] {
  if (s.flagDetails?.length) return s.flagDetails;
  const out: Flag[] = [];
  for (const f of s.flags) {
    const i = f.indexOf(":");
    const code = FlagCodeSchema.safeParse(i < 0 ? f : f.slice(0, i));
    if (!code.success) continue;
    out.push(i < 0 ? { code: code.data } : { code: code.data, field: f.slice(i + 1) });
  }
  return out;
}

/** A flag in plain words, with how to fix it; null when the call has no wording for it. */
export function flagText(flag: Flag, call: Call): string | null {
  const template = call.ack.flags[flag.code];
  if (!template) return null;
  const label = flag.field ? (call.ack.fieldNames[flag.field] ?? call.labels[flag.field]?.[0] ?? flag.field) : "";
  let t = template;
  // The call's own words for a field or an attachment's reason beat the checker's (which may be English).
  const detail = (flag.field && call.ack.fieldHints[flag.field]) || flagDetailText(call, flag);
  // Without a detail the parenthesis that would hold it is left out, not printed empty.
  if (!detail) t = t.replace(/[（(][^（）()]*\{detail\}[^（）()]*[）)]/g, "").replace(/\{detail\}/g, "");
  return fill(t, {
    field: oneLine(label, MAX_VALUE),
    detail: defang(oneLine(detail, MAX_VALUE)),
    file: quotedFile(flag.file) || call.ack.attachment,
  });
}

const INFORMATIONAL: ReadonlySet<FlagCode> = new Set<FlagCode>(["resubmission"]);

function section(s: SubmissionResult, n: number, call: Call, followUp: boolean): ProjectSection {
  const w = call.ack;
  const heading = fill(w.project, {
    n: String(n),
    project: quotedName(s.fields["cover.projectName"], MAX_PROJECT, call) || w.unknown,
    unit: quotedName(s.fields["cover.applicantUnit"] ?? s.fields["unit.name"], MAX_UNIT, call) || w.unknown,
  });
  const files = [s.word, ...s.scan].filter((f): f is string => !!f).slice(0, MAX_FILES).map(quotedFile);
  const issues: string[] = [];
  const notes: string[] = [];
  // A version from another sender does not replace the current one: the receipt says it waits, not that it counts;
  // once staff decided (the reviewers' journal), a corrected receipt says what they decided.
  const reasons = new Set(s.review?.reasons.map((r) => r.code));
  const decided = s.heldVersion?.decision;
  const held = !decided && (reasons.has("other-sender-version") || reasons.has("other-sender-follow-up"));
  if (held) notes.push(reasons.has("other-sender-follow-up") ? w.heldFollowUp : w.heldVersion);
  // The reviewer's decision settled the held reason; a follow-up is known by its link.
  if (decided && followUp) notes.push(decided === "accepted" ? w.followUpAccepted : w.followUpRejected);
  else if (decided) notes.push(decided === "accepted" ? w.versionAccepted : w.versionRejected);
  for (const f of toFlags(s)) {
    if ((held || decided) && f.code === "resubmission") continue;
    if (f.reason && REVIEWER_ONLY_REASONS.has(f.reason)) continue;
    const t = flagText(f, call);
    if (!t) continue;
    const list = INFORMATIONAL.has(f.code) ? notes : issues;
    if (!list.includes(t)) list.push(t);
  }
  return { heading, files, issues, checks: reviewItems(s, call), notes };
}

/** The undecided judgments of a project in the call's words, each once. */
function reviewItems(s: SubmissionResult, call: Call): string[] {
  const w = call.ack.reviewItems;
  const out: string[] = [];
  for (const r of s.review?.reasons ?? []) {
    if (r.code !== "undecided") continue;
    let t: string;
    if (r.about === "field" && r.field) t = fill(w.field, { field: oneLine(call.ack.fieldNames[r.field] ?? call.labels[r.field]?.[0] ?? r.field, MAX_VALUE) });
    else if (r.about === "signature" || r.about === "seal" || r.about === "scanMatch") t = w[r.about];
    else t = w.other;
    if (!out.includes(t)) out.push(t);
  }
  return out;
}

/** What the receipt says about one message, in the call's words. */
export function ackContent(record: MessageResult, call: Call, reference: string): AckContent {
  const w = call.ack;
  const units = [
    ...new Set(
      record.submissions
        .map((s) => quotedName(s.fields["cover.applicantUnit"] ?? s.fields["unit.name"], MAX_UNIT, call))
        .filter((u) => u.length > 0),
    ),
  ];
  const greeting = fill(w.greeting, { unit: units.join("、") || w.unknown, reference, project: "" });
  const projects = record.submissions.map((s, i) => section(s, i + 1, call, !!record.followUpOf));
  const messageIssues: string[] = [];
  for (const f of record.messageFlags ?? []) {
    if (f.reason && REVIEWER_ONLY_REASONS.has(f.reason)) continue;
    const t = flagText(f, call);
    if (t && !messageIssues.includes(t)) messageIssues.push(t);
  }
  const looseFiles =
    projects.length === 0
      ? (record.attachments ?? []).slice(0, MAX_FILES).map((a) => quotedFile(a.name))
      : [];
  return { greeting, projects, messageIssues, looseFiles };
}

/**
 * What the receipt asks of the applicant, project by project, then for the
 * message as a whole: two records with equal demands need no corrected receipt.
 */
export function ackDemands(record: MessageResult, call: Call): string[][] {
  const c = ackContent(record, call, "");
  return [...c.projects.map((p) => p.issues), c.messageIssues];
}

/** What the receipt tells the applicant besides demands (a version waiting for staff, or what staff decided), per project. */
export function ackNotes(record: MessageResult, call: Call): string[][] {
  return ackContent(record, call, "").projects.map((p) => p.notes);
}
