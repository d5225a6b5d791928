import type { FormStage, ScanGroup, ScanStage } from "../stage.js";
import { containment, similarity } from "../text-similarity.js";

export interface ScanCopy {
  group: ScanGroup;
  stage: ScanStage | null;
}

export interface Pairing {
  form: FormStage | null;
  scan: ScanCopy | null;
}

/** Below this a form and a scan are not paired on evidence alone. */
const MIN_SCORE = 0.35;

/**
 * Pairs each Word form with its scanned copy: first by the unit and project
 * names read from both (the scan's cover page), then by file names; what is
 * left pairs up in order when exactly one of each remains, else stays alone
 * (a form without scan, a scan without form).
 */
export function pairFormsWithScans(forms: readonly FormStage[], scans: readonly ScanCopy[]): Pairing[] {
  const scored: { f: number; s: number; score: number }[] = [];
  forms.forEach((form, f) => scans.forEach((scan, s) => scored.push({ f, s, score: pairScore(form, scan) })));
  scored.sort((a, b) => b.score - a.score);

  const formOf = new Map<number, number>();
  const usedScans = new Set<number>();
  for (const { f, s, score } of scored) {
    if (score < MIN_SCORE || formOf.has(f) || usedScans.has(s)) continue;
    formOf.set(f, s);
    usedScans.add(s);
  }
  const leftForms = forms.map((_, i) => i).filter((i) => !formOf.has(i));
  const leftScans = scans.map((_, i) => i).filter((i) => !usedScans.has(i));
  if (leftForms.length === 1 && leftScans.length === 1) {
    formOf.set(leftForms[0]!, leftScans[0]!);
    usedScans.add(leftScans[0]!);
  }

  const out: Pairing[] = forms.map((form, f) => {
    const s = formOf.get(f);
    return { form, scan: s === undefined ? null : scans[s]! };
  });
  scans.forEach((scan, s) => {
    if (!usedScans.has(s)) out.push({ form: null, scan });
  });
  return out;
}

function pairScore(form: FormStage, scan: ScanCopy): number {
  const unit = form.fields["cover.applicantUnit"] ?? form.fields["unit.name"] ?? "";
  const project = form.fields["cover.projectName"] ?? "";
  const scanNames = scan.group.files.map((f) => f.name).join(" ");
  const byNames = Math.max(
    similarity(stem(form.attachment.name), stem(scanNames)),
    project ? containment(project, scanNames) : 0,
  );
  const cover = scan.stage?.coverText;
  const byCover = cover && project ? 0.7 * containment(project, cover) + 0.3 * (unit ? containment(unit, cover) : 0) : 0;
  return Math.max(byNames, byCover);
}

function stem(name: string): string {
  return name.replace(/\.[a-z0-9]{1,5}$/i, "").replace(/申报书|扫描件|盖章版|签字盖章|附件\d*/g, "");
}
