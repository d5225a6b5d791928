/**
 * How well a scanned copy alone gives the form's fields: every scanned copy
 * of the corpus is read in full (as when no Word form came), its fields are
 * read from that text and compared with the truth, field by field, and its
 * form flags with the truth's.
 * Run: npx tsx packages/pipeline/scripts/measure-scan-fields.ts [--copies N] [--only msg-006,…] [--verbose]
 */
import fs from "node:fs";
import path from "node:path";
import { loadCall, flagKey } from "@intake/schema";
import { checkFields, fieldsFromText } from "@intake/form";
import { createOcrPool, inspectScan } from "@intake/scan";
import { corpusCopies, corpusDir } from "../../scan/scripts/corpus-scans.js";

const nArg = process.argv.indexOf("--copies");
const limit = nArg > 0 ? Number(process.argv[nArg + 1]) : Infinity;
const onlyArg = process.argv.indexOf("--only");
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1]!.split(",")) : null;
const verbose = process.argv.includes("--verbose");
const call = loadCall(path.resolve(import.meta.dirname, "../../../config/calls/2026.yaml"));
const FORM_FLAG = /^(missing-field|invalid-field|country-outside-mechanism|excluded-project-kind)/;
const fold = (v: unknown): string => JSON.stringify(v ?? null).normalize("NFKC").replace(/\s+/g, "");
const same = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? fold([...a].map(fold).sort()) === fold([...b].map(fold).sort()) : fold(a) === fold(b));

const ocr = await createOcrPool({ size: 1 });
const missed = new Map<string, number>();
let right = 0;
let total = 0;
let tp = 0;
let fp = 0;
let fn = 0;
try {
  for (const c of (await corpusCopies()).slice(0, limit)) {
    if (only && !only.has(c.id)) continue;
    const [id, nth] = c.id.split("#");
    const exp = JSON.parse(fs.readFileSync(path.join(corpusDir, "expected", `${id}.json`), "utf8"));
    const truth = exp.submissions.filter((s: { scan: string[] }) => s.scan.length)[nth ? Number(nth) - 1 : 0];
    const r = await inspectScan(c.files, { ocr, fullText: true });
    if (!r.fullText) continue;
    const { fields } = fieldsFromText(r.fullText, call);
    let ok = 0;
    const keys = Object.keys(truth.fields);
    if (verbose) console.log(r.fullText);
    for (const k of keys) {
      const got = (fields as Record<string, unknown>)[k];
      if (same(got, truth.fields[k])) ok++;
      else {
        missed.set(k, (missed.get(k) ?? 0) + 1);
        if (verbose) console.log(`  ${k}: ${JSON.stringify(got)} (expected ${JSON.stringify(truth.fields[k])})`);
      }
    }
    right += ok;
    total += keys.length;
    const got = new Set(checkFields(fields, call, { ocr: true }).map(flagKey));
    const want = new Set((truth.flags as string[]).filter((f) => FORM_FLAG.test(f)));
    for (const f of got) if (want.has(f)) tp++; else fp++;
    for (const f of want) if (!got.has(f)) fn++;
    console.log(`${c.id}: ${ok}/${keys.length} fields, ${(r.timings.total! / 1000).toFixed(1)} s; extra ${[...got].filter((f) => !want.has(f)).join(" ") || "-"}; missed ${[...want].filter((f) => !got.has(f)).join(" ") || "-"}`);
  }
  console.log(`fields read from the scan alone: ${((100 * right) / total).toFixed(1)}% of ${total}`);
  console.log(`form flags from the scan alone: precision ${((100 * tp) / Math.max(1, tp + fp)).toFixed(1)}%, recall ${((100 * tp) / Math.max(1, tp + fn)).toFixed(1)}%`);
  console.log(`fields missed most: ${[...missed].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, n]) => `${k}×${n}`).join(", ")}`);
} finally {
  await ocr.close();
}
