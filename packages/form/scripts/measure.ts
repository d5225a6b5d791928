// Field-by-field accuracy of the Word form parser on the corpus:
//   npx tsx packages/form/scripts/measure.ts [corpusDir]
import { loadCall } from "@intake/schema";
import { callFile } from "./corpus-forms.js";
import { compareCorpus } from "./compare.js";

const call = loadCall(callFile);
const { fields, flags } = await compareCorpus(call, process.argv[2]);
const byField = new Map<string, { ok: number; n: number }>();
for (const c of fields) {
  const s = byField.get(c.field) ?? { ok: 0, n: 0 };
  s.n++;
  if (c.ok) s.ok++;
  byField.set(c.field, s);
}
console.log("field accuracy:");
for (const [f, s] of byField) console.log(`  ${f.padEnd(30)} ${s.ok}/${s.n}${s.ok < s.n ? "  <--" : ""}`);
const ok = fields.filter((c) => c.ok).length;
console.log(`\nforms: ${new Set(fields.map((c) => c.id + c.name)).size}, fields exact: ${ok}/${fields.length} = ${((100 * ok) / fields.length).toFixed(2)}%`);
const ticks = fields.filter((c) => ["project.types", "basis.priorWork", "basis.hasPartners", "funding.requested"].includes(c.field));
console.log(`ticked boxes and yes/no: ${ticks.filter((c) => c.ok).length}/${ticks.length}`);
const bad = fields.filter((c) => !c.ok);
if (bad.length) console.log("\nmismatches:");
for (const c of bad) console.log(`  ${c.id} ${c.field}\n    expected ${JSON.stringify(c.expected)}\n    actual   ${JSON.stringify(c.actual)}`);
const missing = flags.flatMap((f) => f.missing.map((x) => `${f.id} ${x}`));
const extra = flags.flatMap((f) => f.extra.map((x) => `${f.id} ${x}`));
console.log(`\nform flags (missing-/invalid-field, country, excluded kind) over ${flags.length} forms: ${missing.length} missing, ${extra.length} extra`);
for (const m of missing) console.log(`  missing ${m}`);
for (const x of extra) console.log(`  extra   ${x}`);
