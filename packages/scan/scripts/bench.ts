/**
 * Time and memory of inspecting the corpora's scanned copies: the
 * Word-plus-scan path (sign-off page and cover, tesseract.js) and the
 * scan-only path (every page read into the page model by PP-OCR); then the
 * three engines on the same pages in one run — tesseract.js, the native
 * tesseract CLI (skipped when absent: apt-get install tesseract-ocr
 * tesseract-ocr-chi-sim) and PP-OCR — with their time ratios.
 * Run: npx tsx packages/scan/scripts/bench.ts [--copies N]
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
  for (const ref of await listPages(c.files, DEFAULT_LIMITS, [])) {
    const img = ref.image();
    if (!img) continue;
    const r = await decodeRaster(img.bytes, { maxPixels: 1e8, raw: img.raw, rotate: img.rotate, page: img.page });
    out.push((await ocrJpeg(r)).jpeg);
  }
  return out;
}

const ocr = await createOcrPool({ size: 1 });
try {
  const copies = (await corpusCopies(sharedPath("corpus"))).slice(0, limit);
  const withWord = copies.filter((c) => !c.scanOnly);
  const secs: number[] = [];
  let pagesRead = 0;
  for (const c of withWord) {
    secs.push(await timed(async () => (pagesRead += (await inspectScan(c.files, { ocr })).pagesRead)));
  }
  console.log(`Word-plus-scan copies: ${secs.length}, pages read: ${pagesRead}`);
  console.log(`seconds per scanned copy (sign-off page and cover, tesseract.js): median ${median(secs).toFixed(2)}, max ${Math.max(...secs).toFixed(2)} (target: median ≤ 5)`);

  // A copy sent without its Word form is read in full into the page model.
  const scanOnly = (await corpusCopies(sharedPath("corpus-scans"))).filter((c) => c.scanOnly).slice(0, Math.min(limit, 6));
  const full: number[] = [];
  const regions: number[] = [];
  for (const c of scanOnly) {
    const r = await inspectScan(c.files, { ocr, fullText: true });
    full.push((r.timings.total ?? 0) / 1000);
    regions.push((r.timings.regions ?? 0) / 1000);
  }
  console.log(`seconds per scan-only copy read in full: median ${median(full).toFixed(2)}, max ${Math.max(...full).toFixed(2)}, of which PP-OCR page models ${median(regions).toFixed(2)} (target: median ≤ 30)`);
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
  await ocr.recognize(pages[0]!, { psm: 3 }); // warm
  await ocr.readLines(grey[0]!);
  const jsS = await timed(async () => {
    for (const p of pages) await ocr.recognize(p, { psm: 3 });
  });
  const ppS = await timed(async () => {
    for (const g of grey) await ocr.readLines(g);
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
      for (const f of files) spawnSync("tesseract", [f, "stdout", "-l", "chi_sim", "--psm", "3"], { env });
    });
    console.log(`  native tesseract 5 (1 thread): ${nativeS.toFixed(2)} s, ratio 1.00`);
  } else console.log("  native tesseract CLI absent: its line skipped (apt-get install tesseract-ocr tesseract-ocr-chi-sim)");
  const ratio = (s: number) => (Number.isFinite(nativeS) ? `, ratio ${(s / nativeS).toFixed(2)}` : "");
  console.log(`  tesseract.js (1 worker): ${jsS.toFixed(2)} s${ratio(jsS)}`);
  console.log(`  PP-OCRv4 on onnxruntime (detection and recognition): ${ppS.toFixed(2)} s${ratio(ppS)}, ${(ppS / jsS).toFixed(2)} × tesseract.js`);
} finally {
  await ocr.close();
}
