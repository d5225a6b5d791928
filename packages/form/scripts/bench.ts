// Forms per second for .docx and for .doc (median of several runs, one core, sequential) and peak memory:
//   npx tsx packages/form/scripts/bench.ts [runs]
import { readFileSync } from "node:fs";
import { loadCall } from "@intake/schema";
import { parseWordForm } from "../src/index.js";
import { callFile, corpusMessages, wordAttachments, type CorpusWord } from "./corpus-forms.js";

const runs = Number(process.argv[2] ?? 7);
const call = loadCall(callFile);
const forms: CorpusWord[] = [];
for (const { id, file } of corpusMessages()) forms.push(...(await wordAttachments(readFileSync(file), id)));

let peak = process.memoryUsage().rss;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage().rss);
};

async function rate(set: CorpusWord[]): Promise<number> {
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    // Several passes per run so a run lasts long enough to time.
    for (let pass = 0; pass < 4; pass++)
      for (const w of set) {
        await parseWordForm(w.content, { call, fileName: w.name, type: w.type });
        sample();
      }
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push((4 * set.length) / s);
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}

const docx = forms.filter((w) => w.type === "docx");
const ole = forms.filter((w) => w.type === "ole");
await rate(forms.slice(0, 3)); // warm-up
console.log(`.docx: ${docx.length} forms, median ${(await rate(docx)).toFixed(1)} forms/s over ${runs} runs`);
console.log(`.doc/.wps: ${ole.length} forms, median ${(await rate(ole)).toFixed(1)} forms/s over ${runs} runs`);
console.log(`peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB`);
