import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadCall } from "@intake/schema";
import { createLogger } from "@intake/logger";
import { parseFiles } from "@intake/ops/offline";
import { progress } from "../print/progress.js";
import { DEFAULT_CALL } from "../defaults.js";

const HELP = `usage: intake parse PATH... --out DIR [--archive DIR] [--call FILE] [--ocr-workers N] [--max-message-bytes N] [--stats]

Parses .eml files (or folders of them, recursively; a file's folder names its
mailbox) with no Redis, IMAP or SMTP, through the daemon's own pipeline, and
writes DIR/<file name without .eml>.json per email. The same email in two
folders is parsed once. --archive keeps the archive (default: DIR/../archive).
--ocr-workers: scanned copies read at once, each in its own process (default 2).
An email over --max-message-bytes (default 104857600, as poll.maxMessageBytes)
is taken as its headers only, flagged, as the daemon does.
--stats prints the time taken, the peak memory (RSS) of this process and of
it with its scan and PDF processes, and the CPU seconds used.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      archive: { type: "string" },
      call: { type: "string", default: DEFAULT_CALL },
      "ocr-workers": { type: "string", default: "2" },
      "max-message-bytes": { type: "string", default: String(100 * 1024 * 1024) },
      "log-level": { type: "string", default: "warn" },
      stats: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.out || positionals.length === 0) {
    console.error(HELP);
    return values.help ? 0 : 2;
  }
  const logLevel = values["log-level"];
  const bars: Partial<Record<string, ReturnType<typeof progress>>> = {};
  const summary = await parseFiles({
    paths: positionals,
    out: resolve(values.out),
    ...(values.archive ? { archive: values.archive } : {}),
    call: loadCall(values.call),
    logger: createLogger({ level: logLevel, name: "intake-parse" }),
    logLevel,
    ocrWorkers: Math.max(1, Number(values["ocr-workers"]) || 1),
    maxMessageBytes: Math.max(1, Number(values["max-message-bytes"]) || 100 * 1024 * 1024),
    stats: values.stats,
    onProgress: (phase, _done, total) => {
      if (phase === "reading" || phase === "scans") (bars[phase] ??= progress(phase, total)).tick();
    },
  });
  const { files, messages, projects, flagged, failed, receipts, out, stats } = summary;
  const failedText = failed ? `, ${failed} failed (recorded for review)` : "";
  console.error(`parsed ${files} files, ${messages} messages, ${projects} projects (${flagged} flagged)${failedText}, ${receipts} receipts in the outbox → ${out}`);
  if (stats) console.error(`stats ${JSON.stringify(stats)}`);
  return 0;
}
