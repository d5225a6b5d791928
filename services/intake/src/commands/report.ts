import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadCall } from "@intake/schema";
import { DEFAULT_CALL } from "../defaults.js";

const HELP = `usage: intake report --archive DIR --out DIR [--call FILE] [--base-url https://host]

Writes the reviewers' report from the archive: DIR/index.html (one
self-contained page, no script), DIR/submissions.xlsx (a summary sheet, all
submissions, a sheet per mechanism) and DIR/submissions.csv (UTF-8 with BOM,
opens in Excel with the Chinese intact). The reviewers' corrections
(the archive's journal) are shown as corrected. --base-url links each row of
the workbook to the web view. Reads the archive only.`;

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      archive: { type: "string" },
      out: { type: "string" },
      call: { type: "string", default: DEFAULT_CALL },
      "log-level": { type: "string", default: "warn" },
      "base-url": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.archive || !values.out) {
    console.error(HELP);
    return values.help ? 0 : 2;
  }
  // Loaded here so `intake report --help` answers without loading the pipeline.
  const [{ Archive }, { createLogger }, { writeReport }, { Journal }] = await Promise.all([import("@intake/archive"), import("@intake/logger"), import("@intake/report"), import("@intake/review")]);
  const logger = createLogger({ level: values["log-level"], name: "intake-report" });
  const started = performance.now();
  const res = await writeReport({
    archive: new Archive({ root: resolve(values.archive), logger }),
    call: loadCall(values.call),
    outDir: resolve(values.out),
    journal: new Journal({ root: resolve(values.archive) }),
    ...(values["base-url"] ? { baseUrl: values["base-url"] } : {}),
    logger,
  });
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`report: ${res.submissions} submissions from ${res.messages} messages (${res.problems} without a usable record) in ${secs}s\n${res.files.map((f) => `  ${f}`).join("\n")}`);
  return 0;
}
