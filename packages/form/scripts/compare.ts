import { readFileSync } from "node:fs";
import { flagKey, type Call } from "@intake/schema";
import { parseWordForm, type FormResult } from "../src/index.js";
import { corpusMessages, expectedFor, FORM_FLAG, wordAttachments, type ExpectedSubmission } from "./corpus-forms.js";

export interface Comparison {
  id: string;
  name: string;
  field: string;
  expected: unknown;
  actual: unknown;
  ok: boolean;
}

export interface FlagComparison {
  id: string;
  missing: string[];
  extra: string[];
}

function pick(results: { name: string; r: FormResult }[], exp: ExpectedSubmission, count: number) {
  if (results.length === 1 && count === 1) return results[0];
  return (
    results.find((x) => x.r.fields["cover.projectName"] === exp.fields["cover.projectName"]) ??
    results.find((x) => x.name === exp.word)
  );
}

/** Parses every Word form of the corpus and compares it with the ground truth, field by field. */
export async function compareCorpus(call: Call, dir?: string): Promise<{ fields: Comparison[]; flags: FlagComparison[] }> {
  const out: Comparison[] = [];
  const flagOut: FlagComparison[] = [];
  for (const { id, file } of corpusMessages(dir)) {
    const expected = expectedFor(id, dir).filter((s) => s.word);
    if (!expected.length) continue;
    const words = await wordAttachments(readFileSync(file), id);
    const results = await Promise.all(words.map(async (w) => ({ name: w.name, r: await parseWordForm(w.content, { call, fileName: w.name, type: w.type }) })));
    for (const exp of expected) {
      const got = pick(results, exp, expected.length);
      for (const [field, e] of Object.entries(exp.fields)) {
        if (field.startsWith("scan.")) continue;
        const a = got ? (got.r.fields as Record<string, unknown>)[field] : undefined;
        out.push({ id, name: exp.word!, field, expected: e, actual: a, ok: JSON.stringify(a ?? null) === JSON.stringify(e ?? null) });
      }
      const want = exp.flags.filter((f) => FORM_FLAG.test(f));
      const have = got ? got.r.flags.map(flagKey).filter((f) => FORM_FLAG.test(f)) : [];
      flagOut.push({ id, missing: want.filter((f) => !have.includes(f)), extra: have.filter((f) => !want.includes(f)) });
    }
  }
  return { fields: out, flags: flagOut };
}
