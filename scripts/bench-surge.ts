// `npm run bench:surge -- [--rate N/h] [--minutes M] [--extra-scan N] [--no-priority] [--scan-processes N] …`
// The deadline-day surge: re-keyed copies of the corpora's emails delivered
// into the test Dovecot at a set rate while the real daemon runs with Redis
// and an SMTP peer; prints mail→receipt percentiles (all and per kind), the
// emails per hour sustained, CPU seconds per email by kind, peak memory per
// process and the queue depths, and writes the series as an SVG chart.
// Needs the test Dovecot (scripts/services/up.sh) and redis-server on PATH.
import { mkdtemp, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { percentile } from "../test/chaos/harness.js";
import { startThrowawayRedis } from "../test/support/redis-server.js";
import { sharedPath } from "../test/support/shared-dir.js";
import { surgeChart, type Series } from "./surge/chart.js";
import { loadTemplates } from "./surge/corpus.js";
import { runSurge, type EmailKind, type SurgeResult } from "./surge/run.js";

const { values } = parseArgs({
  options: {
    rate: { type: "string", default: "500/h" },
    minutes: { type: "string", default: "20" },
    "drain-min": { type: "string", default: "30" },
    "extra-scan": { type: "string", default: "0" },
    "scan-processes": { type: "string" },
    "no-priority": { type: "boolean", default: false },
    corpus: { type: "string", multiple: true },
    seed: { type: "string", default: "1" },
    redis: { type: "string" },
    out: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log(`usage: npm run bench:surge -- [--rate N/h] [--minutes M] [--drain-min M] [--extra-scan N]
    [--scan-processes N] [--no-priority] [--corpus DIR]... [--seed N] [--redis URL] [--out DIR]
  --extra-scan N      also run N processes with only the scan role (intake run --roles scan)
  --scan-processes N  the daemon's scan processes (workers.scanProcesses)
  --no-priority       scans of a Word-plus-scan email wait in line with scan-only OCR (a baseline)`);
  process.exit(0);
}
const say = (l: string) => console.error(`[surge ${new Date().toISOString().slice(11, 19)}] ${l}`);
const rate = Number(/^(\d+(?:\.\d+)?)(?:\/h)?$/.exec(values.rate)?.[1]);
if (!rate) throw new Error(`--rate ${values.rate}: expected N/h`);
const corpora = (values.corpus?.length ? values.corpus : [sharedPath("corpus"), sharedPath("corpus-scans")]).map((c) => resolve(c));
const extraConfig: string[] = [];
const workers: string[] = [];
if (values["scan-processes"]) workers.push(`scanProcesses: ${Number(values["scan-processes"])}`);
if (values["no-priority"]) workers.push("prioritizeFormScans: false");
if (workers.length) extraConfig.push(`workers: { ${workers.join(", ")} }`);

const redis = values.redis ? null : await startThrowawayRedis({ appendonly: true });
const workDir = values.out ? resolve(values.out) : await mkdtemp(join(tmpdir(), "intake-surge-"));
const load0 = loadavg();
let result: SurgeResult;
try {
  const templates = await loadTemplates(corpora);
  say(`${templates.length} templates from ${corpora.join(", ")}; load ${load0.map((l) => l.toFixed(2)).join(" ")}`);
  result = await runSurge({
    templates,
    ratePerHour: rate,
    minutes: Number(values.minutes),
    drainMinutes: Number(values["drain-min"]),
    extraScanProcesses: Number(values["extra-scan"]),
    extraConfig,
    redisUrl: values.redis ?? redis!.url,
    workDir,
    seed: Number(values.seed),
    say,
  });
} finally {
  await redis?.destroy();
}
const load1 = loadavg();

const s = (ms: number | null) => (ms === null ? "-" : `${(ms / 1000).toFixed(1)}s`);
const line = (label: string, xs: number[]) =>
  `${label.padEnd(16)} n=${String(xs.length).padStart(4)}  p50 ${s(percentile(xs, 50)).padStart(7)}  p95 ${s(percentile(xs, 95)).padStart(7)}  p99 ${s(percentile(xs, 99)).padStart(7)}  max ${s(percentile(xs, 100)).padStart(7)}`;
const r = result;
const withReceipt = r.emails.filter((e) => e.latencyMs !== null);
const lat = withReceipt.map((e) => e.latencyMs!);
const missing = r.emails.filter((e) => e.wantsReceipt && e.latencyMs === null);
const deliverMin = (r.lastDeliveryAt - r.startedAt) / 60_000;
const lastReceipt = Math.max(r.startedAt, ...withReceipt.map((e) => e.deliveredAt + e.latencyMs!));
const out: string[] = [];
out.push(`surge: ${r.emails.length} emails at ${rate}/h over ${deliverMin.toFixed(1)} min; extra scan processes ${values["extra-scan"]}; priority ${values["no-priority"] ? "off" : "on"}${values["scan-processes"] ? `; scan processes ${values["scan-processes"]}` : ""}`);
out.push(`load average at start ${load0.map((l) => l.toFixed(2)).join(" ")}, at end ${load1.map((l) => l.toFixed(2)).join(" ")} (2 cores shared)`);
out.push(`drained: ${r.drainedAt ? `${((r.drainedAt - r.lastDeliveryAt) / 1000).toFixed(0)} s after the last delivery` : "NO (timed out)"}; failed jobs ${r.failedJobs}; emails failed ${r.emails.filter((e) => e.failed).length}; receipts due but not sent ${missing.length}`);
out.push("", "mail→receipt");
out.push(line("all", lat));
const KINDS: EmailKind[] = ["word+scan", "scan-only", "word-only", "non-submission"];
for (const k of KINDS) {
  const xs = withReceipt.filter((e) => e.kind === k).map((e) => e.latencyMs!);
  if (xs.length) out.push(line(k, xs));
}
const p95 = (k: EmailKind) => percentile(withReceipt.filter((e) => e.kind === k).map((e) => e.latencyMs!), 95);
const ws = p95("word+scan");
const so = p95("scan-only");
if (ws !== null && so !== null) out.push(`word+scan p95 / scan-only p95 = ${(ws / so).toFixed(2)}`);
const spanH = (lastReceipt - r.startedAt) / 3_600_000;
out.push("", `throughput: ${withReceipt.length} receipts in ${(spanH * 60).toFixed(1)} min = ${(withReceipt.length / Math.max(spanH, 1e-9)).toFixed(0)} receipts/h; ${r.emails.length} emails taken in = ${(r.emails.length / Math.max(spanH, 1e-9)).toFixed(0)} emails/h sustained`);

out.push("", "CPU seconds per email (scan processes, PDF processes included; the rest of each daemon spread evenly)");
const totalCpu = [...r.cpu.values()].reduce((a, b) => a + b, 0);
const totalScan = r.emails.reduce((a, e) => a + e.scanCpuSeconds, 0);
const rest = Math.max(0, totalCpu - totalScan) / Math.max(1, r.emails.length);
for (const k of KINDS) {
  const es = r.emails.filter((e) => e.kind === k);
  if (!es.length) continue;
  const scans = es.map((e) => e.scanCpuSeconds);
  out.push(`  ${k.padEnd(15)} n=${String(es.length).padStart(4)}  scans mean ${(scans.reduce((a, b) => a + b, 0) / es.length).toFixed(1)} s, p95 ${(percentile(scans, 95) ?? 0).toFixed(1)} s; + ${rest.toFixed(1)} s other work`);
}
const scanPerEmail = totalScan / Math.max(1, r.emails.length);
if (scanPerEmail > 0) {
  out.push(`  sizing: one scan process on a core of its own reads ${(3600 / scanPerEmail).toFixed(0)} emails/h of this mix (3600 / ${scanPerEmail.toFixed(1)} scan CPU s per email); the other roles take ${rest.toFixed(1)} CPU s per email`);
}
out.push(`  all processes: ${totalCpu.toFixed(0)} CPU s (${[...r.cpu].map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ")}) = ${(totalCpu / Math.max(1, r.emails.length)).toFixed(1)} s per email`);

out.push("", "peak resident memory per process");
const byWhat = new Map<string, number[]>();
for (const p of r.peaks) byWhat.set(p.what, [...(byWhat.get(p.what) ?? []), p.peakMb]);
for (const [what, mbs] of byWhat) out.push(`  ${what.padEnd(26)} ${String(mbs.length).padStart(3)} process(es), peak ${Math.max(...mbs)} MB`);

out.push("", "queue depths (waiting+active) over time");
const names = Object.keys(r.samples.at(-1)?.queues ?? {});
out.push(`  ${"t".padStart(6)}  ${"in".padStart(5)}  ${"sent".padStart(5)}  ${names.map((n) => n.padStart(9)).join("")}`);
const step = Math.max(1, Math.ceil(r.samples.length / 30));
for (const [i, x] of r.samples.entries()) {
  if (i % step && i !== r.samples.length - 1) continue;
  out.push(`  ${(x.t / 60).toFixed(1).padStart(5)}m  ${String(x.delivered).padStart(5)}  ${String(x.receipts).padStart(5)}  ${names.map((n) => String((x.queues[n]?.waiting ?? 0) + (x.queues[n]?.active ?? 0)).padStart(9)).join("")}`);
}
const text = out.join("\n");
console.log(text);

const colors: Record<string, string> = { parse: "#1f77b4", scan: "#d62728", assemble: "#2ca02c", ack: "#9467bd" };
const counts: Series[] = [
  ...names.map((n) => ({ name: `${n} queue`, color: colors[n] ?? "#555", points: r.samples.map((x): [number, number] => [x.t, (x.queues[n]?.waiting ?? 0) + (x.queues[n]?.active ?? 0)]) })),
  { name: "emails delivered", color: "#333", points: r.samples.map((x): [number, number] => [x.t, x.delivered]) },
  { name: "receipts sent", color: "#ff7f0e", points: r.samples.map((x): [number, number] => [x.t, x.receipts]) },
];
const kindColors: Record<EmailKind, string> = { "word+scan": "#1f77b4", "scan-only": "#d62728", "word-only": "#2ca02c", "non-submission": "#999" };
const latencies: Series[] = KINDS.map((k) => ({
  name: k,
  color: kindColors[k],
  points: withReceipt.filter((e) => e.kind === k).map((e): [number, number] => [(e.deliveredAt + e.latencyMs! - r.startedAt) / 1000, e.latencyMs! / 1000]),
})).filter((x) => x.points.length);
const svg = join(r.runDir, "surge.svg");
await writeFile(svg, surgeChart(`surge ${rate}/h, ${values.minutes} min, extra scan ${values["extra-scan"]}, priority ${values["no-priority"] ? "off" : "on"}`, counts, latencies));
await writeFile(join(r.runDir, "surge.txt"), text + "\n");
await writeFile(join(r.runDir, "surge.json"), JSON.stringify({ ...r, cpu: Object.fromEntries(r.cpu) }, null, 2));
console.log(`\nchart: ${svg}\nseries: ${join(r.runDir, "surge.json")}`);
process.exit(r.drainedAt && r.failedJobs === 0 && missing.length === 0 ? 0 : 1);
