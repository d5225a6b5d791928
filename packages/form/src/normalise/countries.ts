import type { Call } from "@intake/schema";

/** Country text split on 、，,；; spaces and line breaks, each mapped to its canonical name via the call's aliases. */
export function splitCountries(s: string, call: Call): string[] {
  const out: string[] = [];
  for (const part of s.split(/[、，,；;\s\u3000/／]+/)) {
    let name = part
      .replace(/^(?:和|及|与)/, "")
      .replace(/[。.]+$/, "")
      .replace(/等$/, "")
      .trim();
    if (!name) continue;
    name = call.countryAliases[name] ?? name;
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
