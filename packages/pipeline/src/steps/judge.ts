import type { Call, Fields, Flag, Signoff } from "@intake/schema";
import type { FormStage, ScanStage } from "../stage.js";
import { containment } from "../text-similarity.js";

/** A cover is judged only when OCR read enough of it to hold the names. */
const MIN_COVER_CHARS = 12;
/** Share of a name's bigrams that must appear on the scanned cover. */
const SAME_NAME = 0.5;

/** What the scanned copy says about the sign-off, or nulls when there is no (readable) scan. */
export function signoffOf(scan: ScanStage | null): Signoff {
  if (!scan || !scan.readable) return { signature: null, seal: null, signedDate: null };
  return {
    signature: scan.signature.found,
    seal: scan.seal.found,
    signedDate: scan.signedDate,
    pages: scan.pages,
    signatureEvidence: scan.signature,
    sealEvidence: scan.seal,
  };
}

/** The flags of one project in one message, from its form, its scan and its arrival. */
export function judgeSubmission(input: {
  form: FormStage | null;
  scan: ScanStage | null;
  scanPresent: boolean;
  fields: Fields;
  fieldFlags: Flag[];
  receivedAt: string | null;
  call: Call;
}): Flag[] {
  const { form, scan, call } = input;
  const flags: Flag[] = [...input.fieldFlags];
  if (!form) flags.push({ code: "missing-word-file" });
  if (!input.scanPresent) flags.push({ code: "missing-scan" });
  if (scan) {
    flags.push(...scan.flags);
    if (scan.readable) {
      if (!scan.signature.found) flags.push({ code: "missing-signature" });
      if (!scan.seal.found) flags.push({ code: "missing-seal" });
    }
  }
  if (form?.readable && scan?.readable && scan.coverText) {
    const why = coverMismatch(input.fields, scan.coverText);
    if (why) flags.push({ code: "scan-mismatch", detail: why });
  }
  if (input.receivedAt && Date.parse(input.receivedAt) >= Date.parse(call.deadline)) {
    flags.push({ code: "late-submission", detail: `received ${input.receivedAt}, deadline ${call.deadline}` });
  }
  return flags;
}

/** Why the scanned cover is not the Word form's (unit or project differs), or null when it matches or cannot be told. */
export function coverMismatch(fields: Fields, coverText: string): string | null {
  if (coverText.replace(/\s+/g, "").length < MIN_COVER_CHARS) return null;
  const project = fields["cover.projectName"];
  const unit = fields["cover.applicantUnit"] ?? fields["unit.name"];
  if (project && containment(project, coverText) < SAME_NAME) return "项目名称与Word版不一致";
  if (unit && containment(unit, coverText) < SAME_NAME) return "申报单位与Word版不一致";
  return null;
}
