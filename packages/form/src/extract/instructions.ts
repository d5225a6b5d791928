import type { Call } from "@intake/schema";
import { labelKey, trimAll } from "../normalise/text.js";

/** Guidance the template prints: a parenthesis asking to fill in, dots, "如选择“是”，请在下方…". */
const GUIDANCE = [
  /^[（(][^（）()]*(?:请|填写|填报|列出|注明|可补充|如有|不一致时)[^（）()]*[）)]$/,
  /^[…．.。·_＿\-—\s]+$/,
  /^[…．.。·\s]*[（(]可补充[）)]$/,
  /^如(?:选择|选)?\s*[“"]?\s*[是否]\s*[”"]?\s*.{0,3}[，,]?\s*请在下方/,
];
const INLINE_GUIDANCE = /[（(](?:请在此填写|涉及多个|请全部列出|项目实际承担单位与|非一次性活动|可据实填写)[^（）()]*[）)]/g;
/** A guidance parenthesis the applicant typed after, on the same line. */
const LEADING_GUIDANCE = /^[（(][^（）()]*(?:请|填写|可不填|如有|注明)[^（）()]*[）)]/;

/** True when a line is only instruction text printed by the template. */
export function isInstruction(line: string, call: Call): boolean {
  const t = trimAll(line);
  if (!t) return true;
  const k = labelKey(t);
  if (call.instructionTexts.some((s) => labelKey(s) === k)) return true;
  return GUIDANCE.some((re) => re.test(t));
}

/** A cell's answer: instruction lines and inline guidance dropped, lines trimmed and joined with \n; null when nothing is left. */
export function cleanValue(text: string, call: Call, dropLine?: (line: string) => boolean): string | null {
  const lines: string[] = [];
  for (const raw of text.split("\n")) {
    let line = raw;
    for (const s of call.instructionTexts) if (s.length >= 4 && line.includes(s)) line = line.split(s).join("");
    line = trimAll(trimAll(line.replace(INLINE_GUIDANCE, "")).replace(LEADING_GUIDANCE, ""));
    if (!line || isInstruction(line, call) || dropLine?.(line)) continue;
    lines.push(line);
  }
  return lines.length ? lines.join("\n") : null;
}
