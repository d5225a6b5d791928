// `intake status [--config FILE]... [--json]`: mailboxes, checkpoints, queue depths, failures.
import { parseArgs } from "node:util";
import { Archive, hasCountsSnapshot, recountArchive } from "@intake/archive";
import { collectStatus, formatStatus, loadOpsContext, needsAttention } from "@intake/ops/status";

const USAGE = `usage: intake status [--config FILE]... [--json] [--failed-limit N] [--recount]
  Shows each mailbox's checkpoint, last successful check and last message,
  SMTP's last success and failure, the archive's counts, the queues' depths
  and every failure (failed jobs, unparsable messages, undelivered receipts).
  Exits 1 when something needs attention: a mailbox not checked for 3 poll
  intervals, receipts that cannot be sent, Redis down, any failure.
  The archive's counts are kept as it is written (index/counts/); --recount
  counts the archive's files again first (after restoring a backup, or when
  the counts look wrong; safe while the daemon runs). The first status of an
  archive does so by itself.
  Reads the same settings as \`intake run\`.`;

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: "string", multiple: true, default: [] },
        json: { type: "boolean", default: false },
        recount: { type: "boolean", default: false },
        "failed-limit": { type: "string", default: "20" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    console.error(`intake status: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const { settings } = loadOpsContext({ configs: values.config });
  const archive = new Archive({ root: settings.archive.dir });
  // The first status of an archive counts it once (it may hold mail from before its counts were kept).
  if (values.recount || !(await hasCountsSnapshot(archive.root))) {
    const r = await recountArchive(archive.root);
    console.error(`recounted ${r.messages} messages, ${r.records} records, ${r.acks} receipts in ${(r.ms / 1000).toFixed(1)} s`);
  }
  const limit = Math.max(1, Number(values["failed-limit"]) || 20);
  const status = await collectStatus({ settings, archive, failedLimit: limit });
  console.log(values.json ? JSON.stringify(status, null, 2) : formatStatus(status));
  return needsAttention(status) ? 1 : 0;
}
