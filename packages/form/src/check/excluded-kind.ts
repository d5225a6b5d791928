import type { Call, Fields } from "@intake/schema";

function countMatches(text: string, pattern: string): { n: number; first: string | null } {
  const re = new RegExp(pattern, "g");
  let n = 0;
  let first: string | null = null;
  for (let m = re.exec(text); m && n < 100; m = re.exec(text)) {
    if (m[0].length === 0) break;
    n++;
    first ??= m[0];
  }
  return { n, first };
}

/**
 * The excluded kind (research, platform, technology) the project reads as, or
 * null. What names the project (its name, the "other" type it gives) decides
 * alone; the plan only when it returns to the kind more than once, because an
 * exchange plan may mention research or a platform in passing.
 */
export function excludedKind(fields: Fields, call: Call): { kind: string; match: string } | null {
  const naming = [fields["cover.projectName"], fields["project.typeOther"]].filter((s): s is string => !!s).join("\n");
  const plan = fields.plan ?? "";
  for (const k of call.excludedKinds) {
    let inPlan = 0;
    let planMatch: string | null = null;
    for (const p of k.patterns) {
      const named = countMatches(naming, p);
      if (named.first) return { kind: k.kind, match: named.first };
      const c = countMatches(plan, p);
      inPlan += c.n;
      planMatch ??= c.first;
    }
    if (inPlan >= 2 && planMatch) return { kind: k.kind, match: planMatch };
  }
  return null;
}
