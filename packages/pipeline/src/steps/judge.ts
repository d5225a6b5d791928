import type { Call, Decision, Decisions, Fields, Flag, Provenance, ReviewReason, Signoff, Threshold } from "@intake/schema";
import { outcomeBoolean, REQUIRED_WHEN, REVIEWER_ONLY_REASONS, settle, undecided, type FieldKey } from "@intake/schema";
import type { FormStage, ScanStage } from "../stage.js";
import { containment } from "../text-similarity.js";

/** A cover is judged only when OCR read enough of it to hold the names. */
const MIN_COVER_CHARS = 12;
/** Share of a name's bigrams that must appear on the scanned cover for it to be the same form. */
const SAME_NAME = 0.5;

/** Flags a receipt turns into a request about one field, when the value came from a scan. */
const FIELD_DEMANDS = new Set(["missing-field", "invalid-field"]);

export interface JudgeInput {
  form: FormStage | null;
  scan: ScanStage | null;
  /** A scanned copy came with the project (whether or not its inspection finished). */
  scanPresent: boolean;
  /** The scan's inspection failed for good (our retries spent): nothing about it was decided. */
  scanFailed?: boolean;
  fields: Fields;
  fieldFlags: Flag[];
  /** Where each field's value came from; values read from a scan carry their outcome and confidence. */
  sources?: Record<string, Provenance>;
  receivedAt: string | null;
  call: Call;
}

export interface Judgment {
  flags: Flag[];
  decisions: Decisions;
  signoff: Signoff;
  /** What a person must look at: every undecided decision, with its reason. */
  review: ReviewReason[];
}

/**
 * The flags of one project in one message, from its form, its scan and its
 * arrival. A decision becomes a demand (missing-signature, missing-seal,
 * scan-mismatch, a field from a scan) only when it is a confident not-found;
 * undecided ones go to review instead.
 */
export function judgeSubmission(input: JudgeInput): Judgment {
  const { form, scan, call } = input;
  const th = call.decisions;
  const flags: Flag[] = [];
  const review: ReviewReason[] = [];
  const decisions: Decisions = {};
  const toReview = (about: string, d: Decision) => {
    if (d.outcome === "undecided") review.push({ code: "undecided", about, ...(d.reason ? { reason: d.reason } : {}), ...(d.detail ? { detail: d.detail } : {}) });
  };

  flags.push(...settleFieldFlags(input.fieldFlags, input.sources ?? {}, !form, th.field, review));
  if (!form) flags.push({ code: "missing-word-file" });
  if (!input.scanPresent) flags.push({ code: "missing-scan" });
  if (scan) flags.push(...scan.flags);

  if (input.scanPresent && (scan?.readable || !scan)) {
    const failed = !scan ? undecided("job-failed", { detail: input.scanFailed ? "scan inspection failed" : "scan not inspected" }) : null;
    decisions.signature = failed ?? settle(scan!.signature, th.signature);
    decisions.seal = failed ?? settle(scan!.seal, th.seal);
    if (decisions.signature.outcome === "not-found") flags.push({ code: "missing-signature" });
    if (decisions.seal.outcome === "not-found") flags.push({ code: "missing-seal" });
    toReview("signature", decisions.signature);
    toReview("seal", decisions.seal);
  } else if (scan && !scan.readable && !scan.flags.some((f) => !(f.reason && REVIEWER_ONLY_REASONS.has(f.reason)))) {
    // Nothing of the copy was read and the file itself is not at fault: a codec we lack, or the
    // email's or sender's OCR budget was spent before it; the scan says which.
    decisions.signature = scan.signature.outcome === "undecided" ? scan.signature : undecided("undecodable");
    decisions.seal = scan.seal.outcome === "undecided" ? scan.seal : undecided("undecodable");
    toReview("signature", decisions.signature);
    toReview("seal", decisions.seal);
  }

  if (form?.readable && input.scanPresent && (!scan || scan.readable)) {
    const d = scan ? settle(coverMatch(input.fields, scan.coverText), th.scanMatch) : undecided("job-failed");
    decisions.scanMatch = d;
    if (d.outcome === "not-found") flags.push({ code: "scan-mismatch", ...(d.detail ? { detail: d.detail } : {}) });
    toReview("scanMatch", d);
  }
  if (input.receivedAt && Date.parse(input.receivedAt) >= Date.parse(call.deadline)) {
    flags.push({ code: "late-submission", detail: `received ${input.receivedAt}, deadline ${call.deadline}` });
  }
  return { flags, decisions, signoff: signoffOf(scan, decisions), review };
}

/** RESULT.md's sign-off: booleans for confident outcomes, null for undecided or when there is no scan. */
export function signoffOf(scan: ScanStage | null, d: Decisions): Signoff {
  return {
    signature: outcomeBoolean(d.signature),
    seal: outcomeBoolean(d.seal),
    signedDate: scan?.signedDate ?? null,
    ...(scan ? { pages: scan.pages } : {}),
  };
}

/**
 * Field flags held to the same rule: a missing or invalid value read from a
 * scan is a demand only when that reading is a confident outcome (read in
 * full and empty, or read clearly and wrong); otherwise a reviewer looks.
 */
function settleFieldFlags(flags: Flag[], sources: Record<string, Provenance>, fromScan: boolean, th: Threshold, review: ReviewReason[]): Flag[] {
  return flags.filter((f) => {
    if (!f.field || !FIELD_DEMANDS.has(f.code)) return true;
    const src = sources[f.field];
    if (!fromScan && src?.source !== "scan") return true;
    const wanted = f.code === "missing-field" ? "not-found" : "found";
    const sure = (p: Provenance | undefined, outcome: string) => p?.outcome === outcome && (p.confidence ?? 0) >= (outcome === "found" ? th.found : th.notFound);
    // A field required only on another answer (partners when 是 is ticked) is demanded only when that answer was read surely too.
    const condition = f.code === "missing-field" ? REQUIRED_WHEN[f.field as FieldKey] : undefined;
    if (sure(src, wanted) && (!condition || sure(sources[condition], "found"))) return true;
    review.push({ code: "undecided", about: "field", field: f.field, reason: "low-confidence", detail: f.code });
    return false;
  });
}

/**
 * Whether the scanned cover is the Word form's: found when the unit and the
 * project name are both on it, not found when one is plainly absent, and
 * undecided when too little of the cover was read to tell.
 */
export function coverMatch(fields: Fields, coverText: string | null): Decision {
  const cover = coverText ?? "";
  if (cover.replace(/\s+/g, "").length < MIN_COVER_CHARS) return undecided("too-little-text", { detail: "scanned cover not read" });
  const names: [string, string, string][] = [];
  const project = fields["cover.projectName"];
  const unit = fields["cover.applicantUnit"] ?? fields["unit.name"];
  if (project) names.push(["项目名称", project, "项目名称与Word版不一致"]);
  if (unit) names.push(["申报单位", unit, "申报单位与Word版不一致"]);
  if (!names.length) return undecided("too-little-text", { detail: "the Word form names no unit or project" });
  const scored = names.map(([label, name, why]) => ({ label, name, why, c: containment(name, cover) }));
  const worst = scored.reduce((a, b) => (b.c < a.c ? b : a));
  const evidence = { expected: worst.name, actual: coverLine(cover, worst.label) };
  if (worst.c >= SAME_NAME) return { outcome: "found", confidence: round(0.5 + worst.c / 2), reason: "read-in-full", evidence };
  // The less of the name the cover holds, the surer it is another form; a half-read name is unsure.
  return { outcome: "not-found", confidence: round(1 - worst.c), reason: "read-in-full", detail: worst.why, evidence };
}

/** The cover's line that holds the label, else its opening, for the reviewer to compare. */
function coverLine(cover: string, label: string): string {
  const lines = cover.split(/\n+/).map((l) => l.trim()).filter(Boolean);
  const folded = (s: string) => s.replace(/\s+/g, "");
  const hit = lines.find((l) => folded(l).includes(label));
  return (hit ?? lines.join(" ")).slice(0, 160);
}

const round = (x: number) => Math.round(x * 100) / 100;
