// `intake resend-ack <submission>`: sends a submission's receipt again.
import { parseArgs } from "node:util";
import { readAckLog } from "@intake/ack";
import { Archive } from "@intake/archive";
import { createQueues, jobId, redisOptionsFromUrl } from "@intake/jobs";
import { findMessage, loadOpsContext, probeRedis } from "@intake/ops";

const USAGE = `usage: intake resend-ack <submission> [--config FILE]...
  Queues the receipt of one submission again, for the daemon's receipt
  worker to send (with a new Message-ID: the applicant gets another copy).
  <submission>: the message key, its Message-ID, the reference printed on the
  receipt, or the project key. Use it for a receipt in \`intake status\`'s
  failures once the address or the mail server is fixed.`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: "string", multiple: true, default: [] },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    console.error(`intake resend-ack: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`intake resend-ack: give exactly one submission\n${USAGE}`);
    return 2;
  }
  const { settings, call } = loadOpsContext({ configs: values.config });
  const archive = new Archive({ root: settings.archive.dir });
  const found = await findMessage(archive, call, positionals[0]!);
  if (!found) {
    console.error(`intake resend-ack: no archived message matches "${positionals[0]}"`);
    return 1;
  }
  const key = found.messageKey;
  const record = await archive.readRecord(key);
  if (!record) {
    console.error(`intake resend-ack: ${key} has no record yet (still in the pipeline, or run \`intake replay ${key}\`)`);
    return 1;
  }
  if (record.kind !== "submission" || !record.ack) {
    console.error(`intake resend-ack: ${key} is a message of kind "${record.kind}" that gets no receipt by rule`);
    return 1;
  }
  const probe = await probeRedis(settings.redis.url);
  if (!probe.ok) {
    console.error(`intake resend-ack: Redis does not answer (${probe.error}); run \`intake doctor\``);
    return 1;
  }
  const prior = await readAckLog(archive, key);
  const queues = createQueues({ connection: redisOptionsFromUrl(settings.redis.url, { maxRetriesPerRequest: 1 }), prefix: settings.redis.prefix });
  try {
    const id = jobId("ack", `${key}-resend-${Date.now().toString(36)}`);
    await queues.add("ack", { messageKey: key, reason: "resend" }, { jobId: id });
    const before = prior ? `${prior.status}${prior.to ? ` to ${prior.to}` : ""}${prior.why ? ` (${prior.why})` : ""}` : "none sent yet";
    console.log(`queued ${id} for ${key} (found by ${found.by}); previous receipt: ${before}`);
  } finally {
    await queues.close();
  }
  return 0;
}
