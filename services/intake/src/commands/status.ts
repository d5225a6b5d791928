// `intake status [--config FILE]... [--json]`: mailboxes, checkpoints, queue depths, failures.
import { parseArgs } from "node:util";
import { Archive } from "@intake/archive";
import { collectStatus, formatStatus, loadOpsContext, needsAttention } from "@intake/ops";

const USAGE = `usage: intake status [--config FILE]... [--json] [--failed-limit N]
  Shows each mailbox's checkpoint, last successful check and last message,
  SMTP's last success and failure, the archive's counts, the queues' depths
  and every failure (failed jobs, unparsable messages, undelivered receipts).
  Exits 1 when something needs attention: a mailbox not checked for 3 poll
  intervals, receipts that cannot be sent, Redis down, any failure.
  Reads the same settings as \`intake run\`.`;

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: "string", multiple: true, default: [] },
        json: { type: "boolean", default: false },
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
  const limit = Math.max(1, Number(values["failed-limit"]) || 20);
  const status = await collectStatus({ settings, archive, failedLimit: limit });
  console.log(values.json ? JSON.stringify(status, null, 2) : formatStatus(status));
  return needsAttention(status) ? 1 : 0;
}
