/**
 * Signature and seal decisions on the scanned copies of ../shared/corpus and
 * ../shared/corpus-scans, and seal decisions on the labelled pages of
 * ../shared/real-seals; then, per decision kind, a reliability table:
 * confidence bins against the share of decisions in them that are right, and
 * what each not-found and found bar would leave undecided or get wrong.
 * Run: npx tsx packages/scan/scripts/measure.ts [--only corpus-scans:msg-001,...]
 */
import { loadCall, settle, type DecisionThresholds } from "@intake/schema";
import { decideSeal } from "../src/decide.js";
import { createOcrPool, inspectScan } from "../src/index.js";
import { decodeRaster } from "../src/raster.js";
import { sharedPath } from "../../../test/support/shared-dir.js";
import { corpusCopies, realSeals } from "./corpus-scans.js";

const onlyArg = process.argv.indexOf("--only");
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1]!.split(",")) : null;

/** One raw decision (before the call's thresholds) and the truth. */
interface Sample {
  kind: "signature" | "seal";
  set: string;
  outcome: "found" | "not-found" | "undecided";
  confidence: number;
  truth: boolean;
}
const samples: Sample[] = [];

const ocr = await createOcrPool({ size: 1 });
try {
  for (const set of ["corpus", "corpus-scans"]) {
    for (const c of await corpusCopies(sharedPath(set))) {
      if (only && !only.has(`${set}:${c.id.split("#")[0]}`)) continue;
      if (c.truth?.signature == null || c.truth.seal == null) continue;
      const r = await inspectScan(c.files, { ocr });
      const line: string[] = [];
      for (const kind of ["signature", "seal"] as const) {
        const d = r[kind];
        samples.push({ kind, set, outcome: d.outcome, confidence: d.confidence, truth: c.truth[kind]! });
        line.push(`${kind} ${d.outcome} ${d.confidence} (truth ${c.truth[kind]})${d.detail ? ` ${d.detail}` : ""}`);
      }
      console.log(`${set.padEnd(12)} ${c.id.padEnd(10)} ${line.join(" | ")} pages ${r.pagesRead}/${r.pages}`);
    }
  }
} finally {
  await ocr.close();
}
const call = loadCall(new URL("../../../config/calls/2026.yaml", import.meta.url).pathname);
const th: DecisionThresholds = call.decisions;
if (!only) {
  // A labelled page alone: no sign-off labels, so it is decided as a copy whose sign-off page was not located.
  const byClass = new Map<string, Record<"found" | "not-found" | "undecided", number>>();
  for (const img of realSeals()) {
    const raster = await decodeRaster(img.content, { maxPixels: 1e8 });
    const { decision: d } = await decideSeal(null, [{ number: 1, raster, words: [], scale: 1, rotation: 0 }], null);
    samples.push({ kind: "seal", set: "real-seals", outcome: d.outcome, confidence: d.confidence, truth: img.seal });
    const settled = settle(d, th.seal).outcome;
    const cls = img.seal ? `seal (${img.partial ? "some cut by the edge" : "whole"})` : "no seal";
    const row = byClass.get(cls) ?? { found: 0, "not-found": 0, undecided: 0 };
    row[settled]++;
    byClass.set(cls, row);
    console.log(`real-seals   ${img.file.padEnd(30)} seal ${d.outcome} ${d.confidence} → ${settled} (truth ${img.seal})${d.detail ? ` ${d.detail}` : ""}`);
  }
  console.log("\n== real-seals, settled with the call's seal bars, per label class: found / undecided / not-found");
  for (const [cls, row] of byClass) console.log(`  ${cls.padEnd(28)} ${row.found} / ${row.undecided} / ${row["not-found"]}`);
}

const BINS = [0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0001];
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(0)}%` : "-");
for (const kind of ["signature", "seal"] as const) {
  const mine = samples.filter((s) => s.kind === kind);
  console.log(`\n== ${kind}: reliability (raw confidence against the share right), ${mine.length} decisions`);
  console.log(`${"confidence".padEnd(12)}${["found", "not-found"].map((o) => `${o} n / right`.padEnd(20)).join("")}by set (n right/all)`);
  for (let i = 0; i + 1 < BINS.length; i++) {
    const inBin = mine.filter((s) => s.outcome !== "undecided" && s.confidence >= BINS[i]! && s.confidence < BINS[i + 1]!);
    if (!inBin.length) continue;
    const cells = (["found", "not-found"] as const).map((o) => {
      const x = inBin.filter((s) => s.outcome === o);
      return `${x.length} / ${pct(x.filter((s) => (s.outcome === "found") === s.truth).length, x.length)}`.padEnd(20);
    });
    const bySet = [...new Set(inBin.map((s) => s.set))].map((set) => {
      const x = inBin.filter((s) => s.set === set);
      return `${set} ${x.filter((s) => (s.outcome === "found") === s.truth).length}/${x.length}`;
    });
    console.log(`${`${BINS[i]!.toFixed(2)}–${Math.min(1, BINS[i + 1]!).toFixed(2)}`.padEnd(12)}${cells.join("")}${bySet.join(", ")}`);
  }
  console.log(`undecided before any bar: ${mine.filter((s) => s.outcome === "undecided").length}`);
  // The trade-off of the not-found bar: every wrong not-found above it is a false demand.
  console.log(`not-found bar → wrong not-found kept (false demands) / right not-found sent to review`);
  for (const bar of [0.6, 0.7, 0.75, 0.8, 0.85, 0.9]) {
    const nf = mine.filter((s) => s.outcome === "not-found");
    const kept = nf.filter((s) => s.confidence >= bar);
    console.log(`  ${bar.toFixed(2)}${bar === th[kind].notFound ? " (call)" : "       "}  ${kept.filter((s) => s.truth).length} / ${nf.filter((s) => s.confidence < bar && !s.truth).length}`);
  }
  console.log(`found bar → wrong found kept / right found sent to review`);
  for (const bar of [0.5, 0.6, 0.7, 0.8]) {
    const f = mine.filter((s) => s.outcome === "found");
    console.log(`  ${bar.toFixed(2)}${bar === th[kind].found ? " (call)" : "       "}  ${f.filter((s) => s.confidence >= bar && !s.truth).length} / ${f.filter((s) => s.confidence < bar && s.truth).length}`);
  }
  const settled = mine.map((s) => (s.outcome === "undecided" || s.confidence < (s.outcome === "found" ? th[kind].found : th[kind].notFound) ? null : s.outcome === "found"));
  const right = settled.filter((v, i) => v === mine[i]!.truth).length;
  const und = settled.filter((v) => v === null).length;
  console.log(`with the call's bars (found ${th[kind].found}, not-found ${th[kind].notFound}): right ${right}/${mine.length} = ${pct(right, mine.length)}, undecided ${und}, wrong ${mine.length - right - und}`);
}
