import type { Call, Fields } from "@intake/schema";

/**
 * The excluded kind (research, platform, technology) the project reads as, or
 * null. Judged on what names the project — its name and the "other" type it
 * gives — because a plan routinely mentions research or platforms in passing
 * while describing an exchange.
 */
export function excludedKind(fields: Fields, call: Call): { kind: string; match: string } | null {
  const text = [fields["cover.projectName"], fields["project.typeOther"]].filter((s): s is string => !!s).join("\n");
  if (!text) return null;
  for (const k of call.excludedKinds) {
    for (const p of k.patterns) {
      const m = new RegExp(p).exec(text);
      if (m) return { kind: k.kind, match: m[0] };
    }
  }
  return null;
}
