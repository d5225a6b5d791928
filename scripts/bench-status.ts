// `npm run bench:status -- [--messages 10000] [--archive DIR]`
// `intake status` and the metrics' archive gauges on a large archive: builds
// one of N messages (re-keyed sample emails, each with its sample record and,
// for submissions, a receipt), then times the status command as a process,
// the status and the metrics' archive read in this process, the recount, and
// the old way (every record, sighting and receipt read) for the ratio.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { parseArgs } from "node:util";
import { Archive } from "../packages/archive/src/archive.js";
import { recountArchive } from "../packages/archive/src/counts-recount.js";
import { readArchiveCounts } from "../packages/archive/src/archive-counts.js";
import { readArchiveStats } from "../packages/archive/src/archive-stats.js";
import { createMetrics } from "../packages/metrics/src/metrics.js";
import { loadSettings, type MessageResult } from "../packages/schema/src/index.js";
import { collectStatus } from "../packages/ops/src/status-report.js";
import { cliArgs, repoRoot } from "../test/support/paths.js";
import { samplesDir } from "../test/support/samples.js";
import { rekey } from "./surge/corpus.js";

const run = promisify(execFile);
const { values } = parseArgs({ options: { messages: { type: "string", default: "10000" }, archive: { type: "string" }, repeat: { type: "string", default: "3" } } });
const n = Number(values.messages);
const dir = values.archive ? resolve(values.archive) : await mkdtemp(join(tmpdir(), "intake-status-bench-"));
const archive = new Archive({ root: join(dir, "archive") });
await archive.init();
const say = (l: string) => console.error(`[status-bench ${new Date().toISOString().slice(11, 19)}] ${l}`);

// Templates: each sample email with its expected record.
const templates: Array<{ mailbox: string; raw: Buffer; rec: Omit<MessageResult, "messageId" | "messageKey"> | null }> = [];
for (const mailbox of (await readdir(join(samplesDir, "mailboxes"))).sort()) {
  for (const name of (await readdir(join(samplesDir, "mailboxes", mailbox))).filter((x) => x.endsWith(".eml")).sort()) {
    const e = JSON.parse(await readFile(join(samplesDir, "expected", name.replace(/\.eml$/, ".json")), "utf8").catch(() => "null")) as
      | { kind: MessageResult["kind"]; ack: boolean; submissions: MessageResult["submissions"] }
      | null;
    templates.push({ mailbox, raw: await readFile(join(samplesDir, "mailboxes", mailbox, name)), rec: e ? { kind: e.kind, ack: e.ack, submissions: e.submissions } : null });
  }
}

const have = (await readdir(join(archive.root, "messages"))).length;
if (have < n) {
  say(`filing ${n - have} messages into ${archive.root}`);
  const t0 = Date.now();
  const one = async (i: number) => {
    const t = templates[i % templates.length]!;
    const { raw } = rekey(t.raw, i, "status");
    const { messageKey } = await archive.putMessage(raw, { mailbox: t.mailbox, uid: i + 1, uidValidity: "1", seenAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() });
    if (i % 50 === 49) return; // a few in flight
    const rec = t.rec ?? { kind: "other" as const, ack: false, submissions: [] };
    await archive.putRecord(messageKey, { messageId: messageKey, messageKey, ...rec });
    if (rec.ack) await archive.putJson(`acks/${messageKey.replace(/[^A-Za-z0-9@._-]/g, "_")}.json`, { ackKey: messageKey, messageKey, status: "sent" });
  };
  for (let i = have; i < n; i += 16) {
    await Promise.all(Array.from({ length: Math.min(16, n - i) }, (_, j) => one(i + j)));
    if ((i / 16) % 125 === 0) say(`${i}/${n}`);
  }
  say(`filed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

const configFile = join(dir, "config.yaml");
await writeFile(
  configFile,
  [
    "mailboxes:",
    '  - { id: guoyunlong, host: "127.0.0.1", port: 10143, tls: "false", user: "nobody", password: "x" }',
    '  - { id: qijiaru, host: "127.0.0.1", port: 10143, tls: "false", user: "nobody", password: "x" }',
    `redis: { url: "${process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379"}", prefix: "status-bench-${process.pid}" }`,
    `archive: { dir: "${archive.root}" }`,
  ].join("\n"),
);
const settings = loadSettings({ files: [join(repoRoot, "config/default.yaml"), configFile] });
const time = async <T>(f: () => Promise<T>): Promise<[number, T]> => {
  const t0 = performance.now();
  const v = await f();
  return [performance.now() - t0, v];
};
const best = async (f: () => Promise<unknown>): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < Number(values.repeat); i++) out.push((await time(f))[0]);
  return out;
};
const fmt = (xs: number[]) => `${xs.map((x) => (x / 1000).toFixed(2)).join(" / ")} s`;
const load = loadavg().map((l) => l.toFixed(2)).join(" ");

const [recountMs, rc] = await time(() => recountArchive(archive.root));
const counts = await readArchiveCounts(archive);
const cli = await best(() => run(process.execPath, [...cliArgs, "status", "--config", configFile], { cwd: repoRoot }).catch((e: { stdout?: string }) => e));
const startup = await best(() => run(process.execPath, [...cliArgs, "--help"], { cwd: repoRoot }).catch((e) => e));
const inproc = await best(() => collectStatus({ settings, archive }));
const fold = await best(() => readArchiveCounts(archive));
const metrics = await best(async () => {
  const m = createMetrics({ archive, processMetrics: false, archiveCacheSeconds: 0 });
  await m.registry.metrics();
});
const walk = await best(async () => {
  await readArchiveStats(archive);
  for (const key of await archive.listMessages()) await archive.sightings(key);
});
const ledgerBytes = (await readdir(join(archive.root, "index/counts"))).length;

console.log(`status on ${counts.messages} messages (${counts.records} records, ${counts.submissions} submissions, ${Object.values(counts.receipts).reduce((a, b) => a + b, 0)} receipts); load ${load}; times of ${values.repeat} runs`);
console.log(`  intake status, the whole process:        ${fmt(cli)}`);
console.log(`  of which node + tsx start-up (--help):    ${fmt(startup)}`);
console.log(`  status collected in-process:               ${fmt(inproc)}`);
console.log(`  archive counts from the ledger:            ${fmt(fold)}`);
console.log(`  metrics scrape (archive gauges):           ${fmt(metrics)}`);
console.log(`  the old way (every record, sighting, receipt read): ${fmt(walk)}; ratio old/new ${(Math.min(...walk) / Math.min(...fold)).toFixed(0)}×`);
console.log(`  intake status --recount (the walk, once):  ${(recountMs / 1000).toFixed(2)} s (${rc.messages} messages); ledger files ${ledgerBytes}`);
console.log(`  archive: ${archive.root}`);
