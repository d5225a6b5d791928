/**
 * Signature and seal accuracy on the corpus's scanned copies and seal
 * accuracy on the labelled real seal photos. Run: npx tsx packages/scan/scripts/measure.ts [--only msg-001,...]
 */
import { createOcrPool, inspectScan } from "../src/index.js";
import { decodeRaster } from "../src/raster.js";
import { searchSeals } from "../src/seal-search.js";
import { corpusCopies, realSeals } from "./corpus-scans.js";

const onlyArg = process.argv.indexOf("--only");
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1]!.split(",")) : null;

const ocr = await createOcrPool({ size: 1 });
let sigOk = 0;
let sealOk = 0;
let dateOk = 0;
let n = 0;
let falseSeals = 0;
try {
  for (const c of await corpusCopies()) {
    if (only && !only.has(c.id.split("#")[0]!)) continue;
    const r = await inspectScan(c.files, { ocr });
    n++;
    const s = r.signature.found === c.truth?.signature;
    const z = r.seal.found === c.truth?.seal;
    if (s) sigOk++;
    if (z) sealOk++;
    if (r.seal.found && c.truth?.seal === false) falseSeals++;
    if (r.signedDate === c.signedDate) dateOk++;
    console.log(
      `${s && z ? "ok " : "BAD"} ${c.id.padEnd(10)} sig ${String(r.signature.found).padEnd(5)} (truth ${c.truth?.signature}, ${r.signature.confidence}) seal ${String(r.seal.found).padEnd(5)} (truth ${c.truth?.seal}, ${r.seal.confidence}) date ${r.signedDate} (${c.signedDate}) pages ${r.pagesRead}/${r.pages} ${r.timings.total} ms`,
    );
  }
} finally {
  await ocr.close();
}
console.log(`corpus: ${n} copies; signature ${sigOk}/${n} = ${((100 * sigOk) / Math.max(1, n)).toFixed(1)}%; seal ${sealOk}/${n} = ${((100 * sealOk) / Math.max(1, n)).toFixed(1)}%; seals reported where none: ${falseSeals}; date ${dateOk}/${n}`);

let rsOk = 0;
const rs = realSeals();
for (const img of rs) {
  const r = await decodeRaster(img.content, { maxPixels: 1e8 });
  const found = (await searchSeals(r)).length > 0;
  if (found === img.seal) rsOk++;
  else console.log(`BAD real-seals ${img.file}: labelled ${img.seal}, found ${found}`);
}
console.log(`real-seals: ${rsOk}/${rs.length} = ${((100 * rsOk) / rs.length).toFixed(1)}%`);
