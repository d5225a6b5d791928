/**
 * How well a scanned copy alone gives the form's fields: every scanned copy
 * of the corpora is read in full (as when no Word form came), its fields are
 * read from its pages and compared with the truth, field by field, per scan
 * mode (colour, grey, phone) and for the copies that came without a Word form;
 * the amounts written in uppercase numerals apart; and the form flags that
 * would be demands (confident outcomes only) against the truth's.
 * Run: npx tsx packages/pipeline/scripts/measure-scan-fields.ts [--corpus corpus,corpus-scans] [--scan-only] [--copies N] [--only msg-006,…] [--verbose]
 *   [--save-pages DIR] (each copy's page model as DIR/<corpus>__<id>.json) [--pages DIR] (read those again instead of the scans:
 *   the form's half measured in seconds; times and memory are then not the scan's)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadCall, flagKey, type Flag, type Provenance } from "@intake/schema";
import { checkFields, fieldsFromPages } from "@intake/form";
import { createOcrPool, inspectScan, type ScanResult } from "@intake/scan";
import { corpusCopies } from "../../scan/scripts/corpus-scans.js";
import { sharedPath } from "../../../test/support/shared-dir.js";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const limit = Number(arg("--copies") ?? Infinity);
const only = arg("--only") ? new Set(arg("--only")!.split(",")) : null;
const corpora = (arg("--corpus") ?? "corpus,corpus-scans").split(",");
const scanOnly = process.argv.includes("--scan-only");
const verbose = process.argv.includes("--verbose");
const saveDir = arg("--save-pages");
const pagesDir = arg("--pages");
const pagesFile = (dir: string, corpus: string, id: string) => path.join(dir, `${corpus}__${id.replace("#", "_")}.json`);
const call = loadCall(path.resolve(import.meta.dirname, "../../../config/calls/2026.yaml"));
const FORM_FLAG = /^(missing-field|invalid-field|country-outside-mechanism|excluded-project-kind)/;
const DEMAND = new Set(["missing-field", "invalid-field"]);
const fold = (v: unknown): string => JSON.stringify(v ?? null).normalize("NFKC").replace(/\s+/g, "");
const same = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? fold([...a].map(fold).sort()) === fold([...b].map(fold).sort()) : fold(a) === fold(b));
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : "-");

/** A flag the receipt would turn into a demand: as the pipeline's judge settles it (confident outcomes only). */
function demanded(f: Flag, sources: Record<string, Provenance>): boolean {
  if (!f.field || !DEMAND.has(f.code)) return true;
  const s = sources[f.field];
  const th = call.decisions.field;
  const want = f.code === "missing-field" ? "not-found" : "found";
  return s?.outcome === want && (s.confidence ?? 0) >= (want === "found" ? th.found : th.notFound);
}

const ocr = await createOcrPool({ size: 1 });
const missed = new Map<string, number>();
const byGroup = new Map<string, { right: number; total: number }>();
const count = (g: string, ok: number, n: number) => {
  const c = byGroup.get(g) ?? { right: 0, total: 0 };
  c.right += ok;
  c.total += n;
  byGroup.set(g, c);
};
let tp = 0;
let fp = 0;
let fn = 0;
let falseDemands = 0;
const secs: number[] = [];
/** CPU seconds of this process (all its threads: both engines run in them) per copy: what the copy costs whatever the load. */
const cpuSecs: number[] = [];
try {
  const copies = [];
  for (const c of corpora) copies.push(...(await corpusCopies(sharedPath(c))));
  for (const c of copies.filter((x) => !scanOnly || x.scanOnly).slice(0, limit)) {
    const key = `${c.corpus}/${c.id}`;
    if (only && !only.has(c.id) && !only.has(key)) continue;
    const [id, nth] = c.id.split("#");
    const exp = JSON.parse(fs.readFileSync(sharedPath(c.corpus, "expected", `${id}.json`), "utf8"));
    const truth = exp.submissions.filter((s: { scan: string[] }) => s.scan.length)[nth ? Number(nth) - 1 : 0];
    const cpu0 = process.cpuUsage();
    const r: Pick<ScanResult, "formPages" | "timings"> = pagesDir
      ? JSON.parse(fs.readFileSync(pagesFile(pagesDir, c.corpus, c.id), "utf8"))
      : await inspectScan(c.files, { ocr, fullText: true });
    if (saveDir) fs.mkdirSync(saveDir, { recursive: true });
    if (saveDir) fs.writeFileSync(pagesFile(saveDir, c.corpus, c.id), JSON.stringify({ formPages: r.formPages, timings: r.timings }));
    secs.push(r.timings.total! / 1000);
    const used = process.cpuUsage(cpu0);
    cpuSecs.push((used.user + used.system) / 1e6);
    if (!r.formPages?.length) continue;
    const { fields, sources } = fieldsFromPages(r.formPages, call, call.decisions.field);
    let ok = 0;
    const keys = Object.keys(truth.fields);
    for (const k of keys) {
      const got = (fields as Record<string, unknown>)[k];
      const good = same(got, truth.fields[k]);
      if (good) ok++;
      else {
        missed.set(k, (missed.get(k) ?? 0) + 1);
        if (verbose) console.log(`  ${k}: ${JSON.stringify(got)} (expected ${JSON.stringify(truth.fields[k])})`);
      }
      if (c.amountStyle === "upper" && /^funding\..*Yuan$/.test(k) && truth.fields[k] !== null) count("uppercase amounts", good ? 1 : 0, 1);
    }
    count(`mode ${c.mode ?? "?"}`, ok, keys.length);
    if (c.scanOnly) count(`scan-only, mode ${c.mode ?? "?"}`, ok, keys.length);
    count("all", ok, keys.length);
    const flags = checkFields(fields, call, { ocr: true });
    const got = new Set(flags.map(flagKey));
    const want = new Set((truth.flags as string[]).filter((f) => FORM_FLAG.test(f)));
    for (const f of got) if (want.has(f)) tp++; else fp++;
    for (const f of want) if (!got.has(f)) fn++;
    const demands = flags.filter((f) => demanded(f, sources) && !want.has(flagKey(f)) && DEMAND.has(f.code)).map(flagKey);
    falseDemands += demands.length;
    console.log(`${key} (${c.mode}${c.scanOnly ? ", scan only" : ""}): ${ok}/${keys.length} fields, ${(r.timings.total! / 1000).toFixed(1)} s; false demands ${demands.join(" ") || "-"}; missed ${[...want].filter((f) => !got.has(f)).join(" ") || "-"}`);
  }
  for (const [g, c] of [...byGroup].sort()) console.log(`fields read from the scan alone, ${g}: ${pct(c.right, c.total)} of ${c.total}`);
  console.log(`form flags from the scan alone: precision ${pct(tp, tp + fp)}, recall ${pct(tp, tp + fn)}; false demands (confident, not in the truth): ${falseDemands}`);
  const sorted = [...secs].sort((a, b) => a - b);
  console.log(`seconds per copy read in full: median ${(sorted[(sorted.length - 1) >> 1] ?? NaN).toFixed(1)}, max ${(sorted[sorted.length - 1] ?? NaN).toFixed(1)}`);
  const cpuSorted = [...cpuSecs].sort((a, b) => a - b);
  console.log(`CPU seconds per copy (both engines' threads; PDF processes apart): median ${(cpuSorted[(cpuSorted.length - 1) >> 1] ?? NaN).toFixed(1)}, max ${(cpuSorted[cpuSorted.length - 1] ?? NaN).toFixed(1)}; load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  console.log(`peak memory (max RSS): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  console.log(`fields missed most: ${[...missed].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, n]) => `${k}×${n}`).join(", ")}`);
} finally {
  await ocr.close();
}
