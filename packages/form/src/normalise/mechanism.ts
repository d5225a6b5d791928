import type { Call } from "@intake/schema";

const DASHES = /[-‐‑‒–—―－ー一~～_·・]/g;

/** Comparable mechanism text: half-width, no spaces or dashes, without the generic suffix. */
function mechanismKey(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\s\u3000]+/g, "")
    .replace(/[“”"'《》<>]/g, "")
    .replace(/(?:科技人文交流机制|人文交流机制|交流机制|合作机制|机制)$/, "")
    .replace(DASHES, "");
}

/** Free mechanism text (中国-东盟, 中国—东盟科技人文交流机制, 中国东盟机制) to the call's mechanism id; null when none matches. */
export function mechanismId(s: string, call: Call): string | null {
  const key = mechanismKey(s);
  if (!key) return null;
  const names = call.mechanisms.flatMap((m) => [m.name, ...m.aliases].map((n) => ({ id: m.id, key: mechanismKey(n) })));
  const exact = names.find((n) => n.key === key);
  if (exact) return exact.id;
  // Text around the name (区域, 合作, a parenthesis): the longest name it contains wins.
  const contained = names.filter((n) => n.key.length >= 2 && key.includes(n.key)).sort((a, b) => b.key.length - a.key.length);
  const ids = new Set(contained.filter((n) => n.key.length === contained[0]?.key.length).map((n) => n.id));
  return ids.size === 1 ? [...ids][0]! : null;
}
