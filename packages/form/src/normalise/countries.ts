import type { Call } from "@intake/schema";

/** Every country name the call knows: the regions' canonical names and the aliases. */
function knownNames(call: Call): Set<string> {
  return new Set([...call.mechanisms.flatMap((m) => m.countries), ...Object.keys(call.countryAliases)]);
}

/** A run of names without separators (OCR drops the space in 古巴 巴西) cut into known names; null when it cannot be. */
function segment(s: string, known: Set<string>): string[] | null {
  const best: (string[] | null)[] = new Array(s.length + 1).fill(null);
  best[0] = [];
  for (let i = 0; i < s.length; i++) {
    if (!best[i]) continue;
    for (let j = i + 2; j <= Math.min(s.length, i + 12); j++) {
      const w = s.slice(i, j);
      if (known.has(w) && (!best[j] || best[j]!.length > best[i]!.length + 1)) best[j] = [...best[i]!, w];
    }
  }
  const r = best[s.length];
  return r && r.length > 1 ? r : null;
}

/** Country text split on 、，,；; spaces and line breaks, each mapped to its canonical name via the call's aliases. */
export function splitCountries(s: string, call: Call): string[] {
  const out: string[] = [];
  let known: Set<string> | null = null;
  for (const part of s.split(/[、，,；;\s\u3000/／]+/)) {
    const name = part
      .replace(/^(?:和|及|与)/, "")
      .replace(/[。.]+$/, "")
      .replace(/等$/, "")
      .trim();
    if (!name) continue;
    known ??= knownNames(call);
    const names = known.has(name) ? [name] : (segment(name, known) ?? [name]);
    for (const n of names) {
      const canonical = call.countryAliases[n] ?? n;
      if (!out.includes(canonical)) out.push(canonical);
    }
  }
  return out;
}
