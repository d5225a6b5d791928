/**
 * Time and memory of inspecting the corpora's scanned copies: the
 * Word-plus-scan path (sign-off page and cover, tesseract.js) and the
 * scan-only path (every page read into the page model by PP-OCR); then the
 * three engines on the same pages in one run — tesseract.js, the native
 * tesseract CLI (skipped when absent: apt-get install tesseract-ocr
 * tesseract-ocr-chi-sim) and PP-OCR — with their time ratios and how many
 * of the truth's values each one's text holds verbatim.
 * Run: npx tsx packages/scan/scripts/bench.ts [--copies N] [--engines]
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { createOcrPool, inspectScan } from "../src/index.js";
import { listPages } from "../src/page-source.js";
import { decodeRaster, ocrJpeg } from "../src/raster.js";
import { DEFAULT_LIMITS } from "../src/types.js";
import { corpusCopies, type CorpusCopy } from "./corpus-scans.js";
import { sharedPath } from "../../../test/support/shared-dir.js";

/** Only the engines on the same pages (the copies' timings skipped). */
const enginesOnly = process.argv.includes("--engines");
const nArg = process.argv.indexOf("--copies");
const limit = nArg > 0 ? Number(process.argv[nArg + 1]) : Infinity;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};
const timed = async (f: () => Promise<unknown>) => {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
};

/** Page images of a copy, decoded as the scan decodes them, as grey JPEGs (OCR input). */
async function pageJpegs(c: CorpusCopy): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const list = await listPages(c.files, DEFAULT_LIMITS, []);
  try {
    for (const ref of list.pages) {
      const img = await ref.image();
      if (!img) continue;
      const r = await decodeRaster(img.bytes, { maxPixels: 1e8, raw: img.raw, rotate: img.rotate, page: img.page });
      out.push((await ocrJpeg(r)).jpeg);
    }
  } finally {
    await list.close();
  }
  return out;
}

/** The truth's text values of a copy (fields of its submission), to count how many an engine's text holds verbatim. */
function truthValues(c: CorpusCopy): string[] {
  const [id, nth] = c.id.split("#");
  const exp = JSON.parse(fs.readFileSync(sharedPath(c.corpus, "expected", `${id}.json`), "utf8")) as { submissions: { scan: string[]; fields: Record<string, unknown> }[] };
  const sub = exp.submissions.filter((x) => x.scan.length)[nth ? Number(nth) - 1 : 0];
  const flat = (v: unknown): string[] => (typeof v === "string" ? [v] : Array.isArray(v) ? v.flatMap(flat) : v && typeof v === "object" ? Object.values(v).flatMap(flat) : []);
  return flat(Object.values(sub?.fields ?? {})).map(squash).filter((v) => v.length >= 2);
}
const squash = (t: string) => t.normalize("NFKC").replace(/\s+/g, "");
const held = (text: string, values: string[]) => values.filter((v) => squash(text).includes(v)).length;

/** CPU seconds of this process since `from`: both engines run in its threads, so this is a copy's cost whatever the load. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};
const wordCpu: number[] = [];
const fullCpu: number[] = [];
const load = () => os.loadavg().map((x) => x.toFixed(1)).join(" ");
console.log(`load average (1, 5, 15 min) at the start: ${load()}, ${os.cpus().length} cores`);
const ocr = await createOcrPool({ size: 1 });
try {
  const copies = (await corpusCopies(sharedPath("corpus"))).slice(0, limit);
  const withWord = copies.filter((c) => !c.scanOnly);
  const secs: number[] = [];
  let pagesRead = 0;
  for (const c of enginesOnly ? [] : withWord) {
    const c0 = process.cpuUsage();
    secs.push(await timed(async () => (pagesRead += (await inspectScan(c.files, { ocr })).pagesRead)));
    wordCpu.push(cpuSince(c0));
  }
  if (!enginesOnly) console.log(`Word-plus-scan copies: ${secs.length}, pages read: ${pagesRead}`);
  if (!enginesOnly) console.log(`seconds per scanned copy (sign-off page and cover, tesseract.js): median ${median(secs).toFixed(2)}, max ${Math.max(...secs).toFixed(2)} (target: median ≤ 5); CPU seconds median ${median(wordCpu).toFixed(2)}`);

  // A copy sent without its Word form is read in full into the page model.
  const scanOnly = (await corpusCopies(sharedPath("corpus-scans"))).filter((c) => c.scanOnly).slice(0, Math.min(limit, 6));
  const full: number[] = [];
  const regions: number[] = [];
  for (const c of enginesOnly ? [] : scanOnly) {
    const c0 = process.cpuUsage();
    const r = await inspectScan(c.files, { ocr, fullText: true });
    full.push((r.timings.total ?? 0) / 1000);
    fullCpu.push(cpuSince(c0));
    regions.push((r.timings.regions ?? 0) / 1000);
  }
  if (!enginesOnly) console.log(`seconds per scan-only copy read in full: median ${median(full).toFixed(2)}, max ${Math.max(...full).toFixed(2)}, of which PP-OCR page models ${median(regions).toFixed(2)} (target: median ≤ 30); CPU seconds median ${median(fullCpu).toFixed(2)}`);
  // tesseract.js and onnxruntime run in threads of this process: its peak RSS is the scan worker's.
  console.log(`peak memory of the scan worker (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (target ≤ 1536)`);

  // The same pages for each engine: a scanned cover, a scanned table page, a phone photo of a table page.
  const colour = scanOnly.find((c) => c.mode === "colour") ?? scanOnly[0]!;
  const phone = scanOnly.find((c) => c.mode === "phone") ?? scanOnly[0]!;
  const [cover, , table] = await pageJpegs(colour);
  const photo = (await pageJpegs(phone))[2]!;
  const pages = [cover!, table!, photo];
  const grey = await Promise.all(pages.map(async (j) => {
    const { data, info } = await sharp(j).greyscale().raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  }));
  const values = [truthValues(colour), truthValues(colour), truthValues(phone)];
  const texts: Record<string, string[]> = {};
  await ocr.recognize(pages[0]!, { psm: 3 }); // warm
  await ocr.readLines(grey[0]!);
  const jsS = await timed(async () => {
    texts.js = [];
    for (const p of pages) texts.js.push((await ocr.recognize(p, { psm: 3 })).text);
  });
  const ppS = await timed(async () => {
    texts.pp = [];
    for (const g of grey) texts.pp.push((await ocr.readLines(g)).map((l) => l.text).join("\n"));
  });
  console.log(`the same ${pages.length} pages (cover, table page, phone photo), whole-page OCR:`);
  const cli = spawnSync("tesseract", ["--version"]);
  let nativeS = NaN;
  if (cli.status === 0) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scan-bench-"));
    const files = pages.map((p, i) => {
      const f = path.join(dir, `page-${i}.jpg`);
      fs.writeFileSync(f, p);
      return f;
    });
    // One thread, like one tesseract.js worker.
    const env = { ...process.env, OMP_THREAD_LIMIT: "1" };
    spawnSync("tesseract", [files[0]!, "stdout", "-l", "chi_sim", "--psm", "3"], { env });
    nativeS = await timed(async () => {
      texts.native = files.map((f) => spawnSync("tesseract", [f, "stdout", "-l", "chi_sim", "--psm", "3"], { env, encoding: "utf8" }).stdout ?? "");
    });
  }
  const heldBy = (t: string[]) => t.reduce((n, text, i) => n + held(text, values[i]!), 0);
  const total = values.reduce((n, v) => n + v.length, 0);
  // Each page is searched for all its copy's values (most are on other pages): a count to compare engines by.
  const truth = (t: string[]) => `, truth values found verbatim ${heldBy(t)} (of ${total} looked for)`;
  const ratio = (s: number) => (Number.isFinite(nativeS) ? `, time ratio ${(s / nativeS).toFixed(2)}` : "");
  if (texts.native) console.log(`  native tesseract 5 (chi_sim, 1 thread): ${nativeS.toFixed(2)} s, time ratio 1.00${truth(texts.native)}`);
  else console.log("  native tesseract CLI absent: its line skipped (apt-get install tesseract-ocr tesseract-ocr-chi-sim)");
  console.log(`  tesseract.js (chi_sim, 1 worker): ${jsS.toFixed(2)} s${ratio(jsS)}${truth(texts.js!)}`);
  console.log(`  PP-OCRv4 on onnxruntime (detection and recognition, 1 thread): ${ppS.toFixed(2)} s${ratio(ppS)}, ${(ppS / jsS).toFixed(2)} × tesseract.js${truth(texts.pp!)}`);
  console.log(`peak memory of the process after the engines (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; load average at the end: ${load()}`);
} finally {
  await ocr.close();
}
