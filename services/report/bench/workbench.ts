// Bench of the reviewers' web view on a large archive: the sample records
// copied to N submissions (default 5000), served by the real server. Prints
// how long the list's first page, a sorted and a searched page, and a detail
// page with all its page images take (cold: pages rendered; warm: cached),
// and what the background re-read of the archive costs.
// Run: npx tsx services/report/bench/workbench.ts [N]
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Archive } from "@intake/archive";
import { Accounts, ArchiveAccountStore } from "@intake/review";
import { loadReport, type KnownRecord } from "@intake/report";
import { loadCall, type MessageResult } from "@intake/schema";
import { archiveWithHead } from "../src/archive-head.js";
import { buildReportServer } from "../src/server.js";
import { callPath, machineMissedSeal, sampleArchive } from "../test/sample-archive.js";

const target = Number(process.argv[2] ?? 5000);
const { root, records } = await sampleArchive({ ids: ["msg-016", "msg-004", "msg-012", "msg-014", "msg-022", "msg-003"], patch: (r) => r.messageKey === "msg-016" && machineMissedSeal(r.submissions[0]!) });
const perCopy = records.reduce((n, r) => n + r.submissions.length, 0);
let made = perCopy;
for (let copy = 1; made < target; copy++) {
  for (const r of records) {
    if (made >= target) break;
    const key = `${r.messageKey}-c${copy}`;
    const rec: MessageResult = structuredClone(r);
    rec.messageKey = key;
    rec.messageId = `<copy-${copy}-${r.messageId?.slice(1) ?? key}`;
    rec.submissions.forEach((s) => (s.fields["cover.projectName"] = `${s.fields["cover.projectName"] ?? ""}（${copy}）`));
    const dir = join(root, "messages", key);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "message.eml"), readFileSync(join(root, "messages", r.messageKey, "message.eml")).subarray(0, 4096));
    writeFileSync(join(dir, "record.json"), JSON.stringify(rec));
    made += rec.submissions.length;
  }
}
const store = new ArchiveAccountStore(root);
await new Accounts(store).add({ name: "bench", role: "reviewer", password: "bench password 1" });
const app = await buildReportServer({ archive: archiveWithHead(new Archive({ root }), root), archiveRoot: root, call: loadCall(callPath), accounts: store, refreshMs: 3600_000 });
const login = await app.inject({ method: "POST", url: "/login", payload: { name: "bench", password: "bench password 1" } });
const cookie = `intake_report_session=${login.cookies.find((c) => c.name === "intake_report_session")!.value}`;
const get = (url: string) => app.inject({ method: "GET", url, headers: { cookie } });

async function ms(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
async function bench(name: string, f: () => Promise<unknown>, n = 9): Promise<void> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(await ms(f));
  console.log(`${name.padEnd(44)} median ${median(xs).toFixed(0).padStart(5)} ms   max ${Math.max(...xs).toFixed(0).padStart(5)} ms`);
}

console.log(`archive: ${made} submissions in ${records.length * Math.ceil(target / perCopy)} messages (${root})`);
console.log(`${"first load of the archive (once per start)".padEnd(44)} ${(await ms(() => get("/"))).toFixed(0).padStart(12)} ms`);
// The view re-reads the archive every few seconds: only records written since are opened.
const known = new Map<string, KnownRecord>();
const reader = new Archive({ root });
console.log(`${"archive read in full (no records known)".padEnd(44)} ${(await ms(() => loadReport(reader, { known }))).toFixed(0).padStart(12)} ms`);
await bench("re-read, nothing written since", () => loadReport(reader, { known }), 5);
await bench("list, first page (review queue)", () => get("/"));
await bench("list, all, sorted by unit, page 40", () => get("/?state=all&sort=unit&dir=desc&page=40"));
await bench("list, search by e-mail address", () => get(`/?state=all&q=${encodeURIComponent("sujiayu@cces.net.cn")}`));
const first = await get(`/?state=all&q=${encodeURIComponent("中欧绿色发展科普交流周（1）")}`);
const id = /href="\/s\/([0-9a-f]{16})"/.exec(first.body)![1]!;
const detail = async (rowId = id) => {
  const page = await get(`/s/${rowId}`);
  const pages = [...page.body.matchAll(/src="(\/s\/[0-9a-f]{16}\/page\/\d+)"/g)].map((m) => m[1]!);
  const imgs = await Promise.all(pages.map((p) => get(p)));
  if (imgs.some((r) => r.statusCode !== 200)) throw new Error("a page image failed");
  return pages.length;
};
const t0 = performance.now();
const n = await detail();
console.log(`${`detail + ${n} page images, cold (rendered)`.padEnd(44)} ${(performance.now() - t0).toFixed(0).padStart(12)} ms`);
await bench(`detail + ${n} page images, warm`, () => detail());
// Another copy's pages are not cached: rendered again, in the worker already running.
const other = await get(`/?state=all&q=${encodeURIComponent("中欧绿色发展科普交流周（2）")}`);
const id2 = /href="\/s\/([0-9a-f]{16})"/.exec(other.body)![1]!;
const t1 = performance.now();
await detail(id2);
console.log(`${`detail + ${n} page images, cold, worker running`.padEnd(44)} ${(performance.now() - t1).toFixed(0).padStart(12)} ms`);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await app.close();
rmSync(root, { recursive: true, force: true });
