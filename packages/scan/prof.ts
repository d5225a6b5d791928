import { createOcrPool, inspectScan } from "./src/index.js";
import { corpusCopies } from "./scripts/corpus-scans.js";
const copies = (await corpusCopies()).filter(c => !c.scanOnly).slice(0, 10);
const ocr = await createOcrPool();
const sum: Record<string, number> = {};
let n = 0;
for (const c of copies) {
  const cpu0 = process.cpuUsage();
  const r = await inspectScan(c.files, { ocr, fullText: false });
  const cpu = process.cpuUsage(cpu0);
  if (n++ === 0) continue;
  for (const [k, v] of Object.entries(r.timings)) sum[k] = (sum[k] ?? 0) + (v as number);
  console.log(c.id, r.pagesRead, "/", r.pages, JSON.stringify(r.timings), "mainCPU", ((cpu.user + cpu.system) / 1e6).toFixed(2));
}
for (const k in sum) sum[k] = Math.round(sum[k]! / (n - 1));
console.log("mean ms", JSON.stringify(sum));
await ocr.close();
