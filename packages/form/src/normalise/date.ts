import { trimAll } from "./text.js";

const HAN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, O: 0, o: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 十 / 二十 / 二十一 / 十二 / 一 → number; null when not a small Chinese numeral. */
function hanSmall(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (m) return (m[1] ? HAN_DIGITS[m[1]]! : 1) * 10 + (m[2] ? HAN_DIGITS[m[2]]! : 0);
  if (s.length === 1 && HAN_DIGITS[s] !== undefined) return HAN_DIGITS[s]!;
  return null;
}

function hanYear(s: string): number | null {
  if (/^\d{4}$/.test(s)) return Number(s);
  if (s.length !== 4) return null;
  let n = 0;
  for (const c of s) {
    const d = HAN_DIGITS[c];
    if (d === undefined) return null;
    n = n * 10 + d;
  }
  return n;
}

function iso(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** A written date to YYYY-MM-DD: 2026年1月10日, 2026.1.10, 2026/01/10, 2026-01-10, 20260110, 二〇二六年一月十日; null otherwise. */
export function normaliseDate(s: string): string | null {
  const t = trimAll(s.normalize("NFKC")).replace(/\s+/g, "");
  if (!t) return null;
  let m = /^(\d{4})[年./\-—–](\d{1,2})[月./\-—–](\d{1,2})日?$/.exec(t);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return iso(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^([〇零一二三四五六七八九Oo\d]{4})年([一二三四五六七八九十\d]{1,3})月([一二三四五六七八九十\d]{1,3})日?$/.exec(t);
  if (m) {
    const y = hanYear(m[1]!);
    const mo = hanSmall(m[2]!);
    const d = hanSmall(m[3]!);
    if (y !== null && mo !== null && d !== null) return iso(y, mo, d);
  }
  return null;
}
