// `npm run chaos [-- --corpus DIR] [--kills N] [--seeds 1,2,3] [--timeout-min M] [--redis URL]`
// The daemon under SIGKILL: a clean run, then one run per seed killed N times
// at seeded random moments; prints what was lost, doubled or changed.
// Needs the test Dovecot (scripts/services/up.sh) and redis-server on PATH.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { compare, runChaos, summary } from "../test/chaos/harness.js";
import { startThrowawayRedis } from "../test/support/redis-server.js";
import { sharedPath } from "../test/support/shared-dir.js";

const { values } = parseArgs({
  options: {
    corpus: { type: "string", default: sharedPath("corpus") },
    kills: { type: "string", default: "8" },
    seeds: { type: "string", default: "1,2,3" },
    "timeout-min": { type: "string", default: "60" },
    "max-gap-s": { type: "string", default: "40" },
    redis: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});
if (values.help) {
  console.log("usage: npm run chaos -- [--corpus DIR] [--kills N] [--seeds 1,2,3] [--timeout-min M] [--max-gap-s S] [--redis URL]");
  process.exit(0);
}
const say = (l: string) => console.error(`[chaos ${new Date().toISOString().slice(11, 19)}] ${l}`);
// Redis as production runs it (AOF on), of its own: the shared test Redis is left alone.
const redis = values.redis ? null : await startThrowawayRedis({ appendonly: true });
const redisUrl = values.redis ?? redis!.url;
const workDir = await mkdtemp(join(tmpdir(), "intake-chaos-"));
const base = { corpus: resolve(values.corpus), redisUrl, workDir, timeoutMs: Number(values["timeout-min"]) * 60_000, maxGapMs: Number(values["max-gap-s"]) * 1000, say };
say(`corpus ${base.corpus}; Redis ${redisUrl} (appendonly yes); runs in ${workDir}`);
let bad = false;
try {
  const clean = await runChaos({ ...base, kills: 0, seed: 0 });
  console.log(summary("clean run", clean, null));
  for (const seed of values.seeds.split(",").map(Number)) {
    const run = await runChaos({ ...base, kills: Number(values.kills), seed });
    const cmp = compare(clean, run);
    console.log(summary(`chaos run`, run, cmp));
    if (cmp.recordsLost || cmp.recordsDuplicated || cmp.receiptsLost.length || cmp.receiptsWithTwoIds.length || !run.finished) bad = true;
    for (const k of cmp.recordsDiffering) console.log(`    record unlike the clean run: ${k}`);
    for (const k of cmp.receiptsDiffering) console.log(`    receipt unlike the clean run: ${k}`);
    for (const k of cmp.receiptsDuplicated) console.log(`    receipt accepted twice: ${k}`);
    for (const k of cmp.receiptsLost) console.log(`    receipt lost: ${k}`);
  }
} finally {
  await redis?.destroy();
}
process.exit(bad ? 1 : 0);
