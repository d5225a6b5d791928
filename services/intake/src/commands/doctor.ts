// `intake doctor [--config FILE]...`: checks everything the daemon needs, one line per check.
import { parseArgs } from "node:util";
import { formatChecks, runDoctor } from "@intake/ops";

const USAGE = `usage: intake doctor [--config FILE]... [--timeout SECONDS] [--min-free-gb N] [--json]
  Checks the settings and the call, the archive folder and its free disk
  space, Redis, each mailbox's IMAP login, SMTP, the OCR model on disk and
  the PP-OCR models (present, and they load and run).
  Prints ✓/✗ per check with what to do; exits 1 when any check fails.`;

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: "string", multiple: true, default: [] },
        timeout: { type: "string", default: "10" },
        "min-free-gb": { type: "string", default: "2" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    console.error(`intake doctor: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const timeoutMs = Math.max(1, Number(values.timeout) || 10) * 1000;
  const minFreeBytes = Math.max(0, Number(values["min-free-gb"]) || 0) * 1024 ** 3;
  const results = await runDoctor({ configs: values.config }, { timeoutMs, minFreeBytes });
  console.log(values.json ? JSON.stringify(results, null, 2) : formatChecks(results));
  return results.every((r) => r.ok) ? 0 : 1;
}
