const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 壹: 1, 一: 1, 贰: 2, 貳: 2, 二: 2, 两: 2, 叁: 3, 參: 3, 三: 3, 肆: 4, 四: 4,
  伍: 5, 五: 5, 陆: 6, 陸: 6, 六: 6, 柒: 7, 七: 7, 捌: 8, 八: 8, 玖: 9, 九: 9,
};
const SMALL_UNITS: Record<string, number> = { 拾: 10, 十: 10, 佰: 100, 百: 100, 仟: 1000, 千: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };

/** Chinese numerals (upper or lower case) up to 亿; null if a character is not a numeral. */
function chineseNumber(s: string): number | null {
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const c of s) {
    if (DIGITS[c] !== undefined) digit = DIGITS[c]!;
    else if (SMALL_UNITS[c] !== undefined) {
      section += (digit ?? 1) * SMALL_UNITS[c]!;
      digit = null;
    } else if (BIG_UNITS[c] !== undefined) {
      total = (total + section + (digit ?? 0)) * BIG_UNITS[c]!;
      section = 0;
      digit = null;
    } else return null;
  }
  return total + section + (digit ?? 0);
}

/** An amount as written to yuan: 10万元, 100,000元, 8.5万, 拾万元整, 人民币伍万元; null when no amount can be read. */
export function parseAmountYuan(s: string): number | null {
  const t = s.normalize("NFKC").replace(/[\s,，]/g, "").replace(/^(?:人民币|RMB|CNY|¥|￥|约|共计|合计)+/i, "");
  if (!t) return null;
  const m = /(\d+(?:\.\d+)?)(亿|万|千|百)?(元|圆|块)?/.exec(t);
  if (m) {
    const mult = m[2] === "亿" ? 1e8 : m[2] === "万" ? 1e4 : m[2] === "千" ? 1e3 : m[2] === "百" ? 100 : 1;
    return Math.round(Number(m[1]) * mult * 100) / 100;
  }
  const c = /^([零〇壹一贰貳二两叁參三肆四伍五陆陸六柒七捌八玖九拾十佰百仟千万萬亿億]+)(?:元|圆)/.exec(t);
  if (c) {
    const n = chineseNumber(c[1]!);
    if (n !== null && n > 0) return n;
  }
  return null;
}
