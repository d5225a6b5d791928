// `intake replay <message>... | --all | --failed`: re-runs the pipeline from the archive after a fix.
import { parseArgs } from "node:util";
import { Archive } from "@intake/archive";
import { createQueues, redisOptionsFromUrl, type Queues } from "@intake/jobs";
import { createLogger } from "@intake/logger";
import { failedMessageKeys, failedPipelineJobs, findMessage, loadOpsContext, probeRedis, replayMessages, type FailedJobRef, type ReplayAcks } from "@intake/ops";
import { createPipelineRunner, createScanProcesses } from "@intake/pipeline";
import { phaseProgress } from "../print/progress-bars.js";

const USAGE = `usage: intake replay (<message>... | --all | --failed) [--config FILE]... [--resend-acks | --no-acks] [--ocr-workers N]
  Re-runs the pipeline on archived messages (after a parser fix) and rewrites
  their records. <message>: a message key, a Message-ID, a receipt reference
  or a project key. --failed: messages whose processing failed or never
  finished (and clears their failed jobs once they replay cleanly).
  Receipts: by default a receipt is queued only where none was sent yet (a
  message the fix made a complete submission); --resend-acks sends every
  replayed submission's receipt again; --no-acks queues none.
  Safe to run again, and while the daemon runs.`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: "string", multiple: true, default: [] },
        all: { type: "boolean", default: false },
        failed: { type: "boolean", default: false },
        "resend-acks": { type: "boolean", default: false },
        "no-acks": { type: "boolean", default: false },
        "ocr-workers": { type: "string", default: "1" },
        "log-level": { type: "string", default: "warn" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    console.error(`intake replay: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const modes = [values.all, values.failed, positionals.length > 0].filter(Boolean).length;
  if (modes !== 1 || (values["resend-acks"] && values["no-acks"])) {
    console.error(`intake replay: give messages, --all or --failed (one of them)${values["resend-acks"] && values["no-acks"] ? "; --resend-acks and --no-acks exclude each other" : ""}\n${USAGE}`);
    return 2;
  }
  const acks: ReplayAcks = values["no-acks"] ? "none" : values["resend-acks"] ? "resend" : "due";
  const { settings, call } = loadOpsContext({ configs: values.config });
  const logger = createLogger({ level: values["log-level"], name: "intake-replay" });
  const archive = new Archive({ root: settings.archive.dir, logger });

  const needRedis = acks !== "none" || values.failed;
  const probe = needRedis ? await probeRedis(settings.redis.url) : { ok: false };
  if (acks !== "none" && !probe.ok) {
    console.error(`intake replay: Redis does not answer (${"error" in probe ? probe.error : "?"}); receipts cannot be queued. Fix Redis, or pass --no-acks to replay without receipts.`);
    return 1;
  }
  let queues: Queues | null = null;
  if (probe.ok) queues = createQueues({ connection: redisOptionsFromUrl(settings.redis.url, { maxRetriesPerRequest: 1 }), prefix: settings.redis.prefix });
  try {
    let keys: string[];
    let failedJobs: FailedJobRef[] = [];
    if (values.all) keys = await archive.listMessages();
    else if (values.failed) {
      if (queues) failedJobs = await failedPipelineJobs(queues);
      else console.error("intake replay: Redis does not answer; failed jobs are not listed, only what the archive shows");
      keys = await failedMessageKeys(archive, failedJobs);
    } else {
      keys = [];
      for (const ref of positionals) {
        const found = await findMessage(archive, call, ref);
        if (!found) {
          console.error(`intake replay: no archived message matches "${ref}" (try a message key from \`intake status\`)`);
          return 1;
        }
        if (!keys.includes(found.messageKey)) keys.push(found.messageKey);
      }
    }
    if (keys.length === 0) {
      console.error("intake replay: nothing to replay");
      return 0;
    }

    const bars = phaseProgress();
    const started = performance.now();
    const runner = createPipelineRunner({
      archive,
      call,
      logger,
      scans: () =>
        createScanProcesses({ archiveRoot: archive.root, size: Math.max(1, Number(values["ocr-workers"]) || 1), logLevel: values["log-level"], logName: "intake-replay", logger }),
    });
    const outcome = await replayMessages({
      archive,
      runner,
      keys,
      acks,
      ...(queues ? { queues } : {}),
      onProgress: (phase, done, total) => bars.update(phase, done, total),
    }).finally(() => runner.close());
    bars.stop();

    const ok = new Set(keys.filter((k) => !outcome.failed.some((f) => f.messageKey === k)));
    let cleared = 0;
    for (const j of failedJobs) {
      if (!ok.has(j.messageKey)) continue;
      await j.remove().catch(() => undefined);
      cleared++;
    }
    const kinds = Object.entries(outcome.kinds).map(([k, n]) => `${k} ${n}`).join(", ");
    console.error(
      `replayed ${outcome.replayed}/${keys.length} messages in ${((performance.now() - started) / 1000).toFixed(1)}s (${kinds}); ` +
        `receipts queued ${outcome.acksQueued}, already handled ${outcome.acksAlreadyHandled}` +
        (failedJobs.length ? `; failed jobs cleared ${cleared}` : ""),
    );
    for (const f of outcome.failed) console.error(`  still failing ${f.messageKey}: ${f.error}`);
    return outcome.failed.length ? 1 : 0;
  } finally {
    await queues?.close();
  }
}
