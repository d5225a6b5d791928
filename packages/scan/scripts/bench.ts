/**
 * Time and memory of inspecting the corpus's scanned copies, and tesseract.js
 * OCR of one page next to the native tesseract CLI on the same page (skipped
 * when the CLI is absent: apt-get install tesseract-ocr tesseract-ocr-chi-sim).
 * Run: npx tsx packages/scan/scripts/bench.ts [--copies N]
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createOcrPool, inspectScan } from "../src/index.js";
import { decodeRaster, ocrJpeg } from "../src/raster.js";
import { corpusCopies } from "./corpus-scans.js";

const nArg = process.argv.indexOf("--copies");
const limit = nArg > 0 ? Number(process.argv[nArg + 1]) : Infinity;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};

const ocr = await createOcrPool({ size: 1 });
const secs: number[] = [];
let pagesRead = 0;
try {
  const copies = (await corpusCopies()).slice(0, limit);
  for (const c of copies) {
    const t = performance.now();
    const r = await inspectScan(c.files, { ocr });
    secs.push((performance.now() - t) / 1000);
    pagesRead += r.pagesRead;
  }
  console.log(`copies: ${secs.length}, pages read: ${pagesRead}`);
  console.log(`seconds per scanned copy: median ${median(secs).toFixed(2)}, max ${Math.max(...secs).toFixed(2)} (target: median ≤ 5)`);
  // A copy sent without its Word form is read in full, its tables cell by cell.
  const full: number[] = [];
  const cells: number[] = [];
  for (const c of copies.slice(0, 3)) {
    const r = await inspectScan(c.files, { ocr, fullText: true });
    full.push((r.timings.total ?? 0) / 1000);
    cells.push((r.timings.regions ?? 0) / 1000);
  }
  console.log(`seconds per copy read in full (no Word form): median ${median(full).toFixed(2)}, of which table cells and blanks ${median(cells).toFixed(2)}`);
  // tesseract.js runs in worker threads of this process: its peak RSS is the worker's.
  console.log(`peak memory of the scan worker (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB (target ≤ 1024)`);

  const first = copies[0]!;
  const pdf = await import("pdf-lib");
  const doc = await pdf.PDFDocument.load(first.files[0]!.content);
  const xo = doc.getPages()[0]!.node.Resources()!.lookup(pdf.PDFName.of("XObject")) as InstanceType<typeof pdf.PDFDict>;
  const stream = doc.context.lookup(xo.values()[0]!) as InstanceType<typeof pdf.PDFRawStream>;
  const { jpeg } = await ocrJpeg(await decodeRaster(Buffer.from(stream.contents), { maxPixels: 1e8 }));
  await ocr.recognize(jpeg, { psm: 3 }); // warm
  const runs = 3;
  let t = performance.now();
  for (let i = 0; i < runs; i++) await ocr.recognize(jpeg, { psm: 3 });
  const jsMs = (performance.now() - t) / runs;
  console.log(`tesseract.js, one cover page, PSM 3: ${jsMs.toFixed(0)} ms`);
  const cli = spawnSync("tesseract", ["--version"]);
  if (cli.status !== 0) {
    console.log("native tesseract CLI absent: comparison skipped");
  } else {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "scan-bench-")), "page.jpg");
    fs.writeFileSync(file, jpeg);
    // One thread, like one tesseract.js worker.
    const env = { ...process.env, OMP_THREAD_LIMIT: "1" };
    spawnSync("tesseract", [file, "stdout", "-l", "chi_sim", "--psm", "3"], { env });
    t = performance.now();
    for (let i = 0; i < runs; i++) spawnSync("tesseract", [file, "stdout", "-l", "chi_sim", "--psm", "3"], { env });
    const nativeMs = (performance.now() - t) / runs;
    console.log(`native tesseract, same page: ${nativeMs.toFixed(0)} ms; ratio tesseract.js / native: ${(jsMs / nativeMs).toFixed(2)} (target ≤ 1.5)`);
  }
} finally {
  await ocr.close();
}
