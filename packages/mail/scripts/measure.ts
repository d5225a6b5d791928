// Measures parseMessage over the shared data: kind accuracy and form/scan names
// against the corpus ground truth, and that every wild and hostile message
// parses; prints the slowest message and the peak RSS.
// Run: npx tsx packages/mail/scripts/measure.ts
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseMessage } from "../src/index.js";
import { sharedDir as shared } from "../../../test/support/shared-dir.js";

interface Expected {
  kind: string;
  submissions: { word: string | null; scan: string[] }[];
}

let slowest = { file: "", ms: 0 };
async function timed(file: string): Promise<Awaited<ReturnType<typeof parseMessage>>> {
  const t0 = performance.now();
  const p = await parseMessage(readFileSync(file));
  const ms = performance.now() - t0;
  if (ms > slowest.ms) slowest = { file: path.relative(shared, file), ms };
  return p;
}

const emls = (dir: string): string[] =>
  readdirSync(dir)
    .filter((n) => n.endsWith(".eml"))
    .sort()
    .map((n) => path.join(dir, n));

async function corpus(): Promise<void> {
  const root = path.join(shared, "corpus");
  let total = 0;
  let kindsRight = 0;
  let namesExpected = 0;
  let namesFound = 0;
  let namesExtra = 0;
  const wrong: string[] = [];
  for (const box of readdirSync(path.join(root, "mailboxes")).sort()) {
    for (const file of emls(path.join(root, "mailboxes", box))) {
      const id = path.basename(file, ".eml");
      const exp = JSON.parse(readFileSync(path.join(root, "expected", `${id}.json`), "utf8")) as Expected;
      const p = await timed(file);
      total++;
      if (p.kind === exp.kind) kindsRight++;
      else wrong.push(`${box}/${id}: ${p.kind} (expected ${exp.kind})`);
      const want = new Set(exp.submissions.flatMap((s) => [...(s.word ? [s.word] : []), ...s.scan]));
      const got = new Set(p.attachments.filter((a) => a.role !== "other").map((a) => a.name));
      namesExpected += want.size;
      namesFound += [...want].filter((n) => got.has(n)).length;
      namesExtra += [...got].filter((n) => !want.has(n)).length;
      for (const n of want) if (!got.has(n)) wrong.push(`${box}/${id}: missing ${n}`);
      for (const n of got) if (!want.has(n)) wrong.push(`${box}/${id}: unexpected ${n}`);
    }
  }
  console.log(`corpus: ${total} message copies, kind right ${kindsRight}/${total} (${((100 * kindsRight) / total).toFixed(1)}%)`);
  console.log(`corpus: form/scan names found ${namesFound}/${namesExpected}, unexpected ${namesExtra}`);
  for (const w of wrong) console.log(`  ${w}`);
}

async function allParse(label: string, dir: string): Promise<void> {
  const files = emls(dir);
  let ok = 0;
  const kinds: Record<string, number> = {};
  let flagged = 0;
  for (const f of files) {
    try {
      const p = await timed(f);
      ok++;
      kinds[p.kind] = (kinds[p.kind] ?? 0) + 1;
      if (p.flags.length) flagged++;
    } catch (err) {
      console.log(`  ${path.basename(f)} threw: ${(err as Error).message}`);
    }
  }
  console.log(`${label}: parsed ${ok}/${files.length}, with flags ${flagged}, kinds ${JSON.stringify(kinds)}`);
}

const t0 = performance.now();
await corpus();
await allParse("wild-mail", path.join(shared, "wild-mail"));
await allParse("corpus-hostile", path.join(shared, "corpus-hostile"));
console.log(`slowest message: ${slowest.file} ${slowest.ms.toFixed(0)} ms`);
console.log(`total ${(performance.now() - t0).toFixed(0)} ms, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
