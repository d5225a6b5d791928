import { readFileSync } from "node:fs";
import { mkdir, open, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadCall } from "@intake/schema";
import { createAckHandler, createMailer } from "@intake/ack";
import { Archive } from "@intake/archive";
import { createLogger } from "@intake/logger";
import { archiveIncoming, createPipelineRunner, createScanProcesses, headersOf, type IncomingMessage } from "@intake/pipeline";
import { findEmlFiles } from "../offline/eml-files.js";
import { progress } from "../offline/progress.js";
import { sampleTreeMemory } from "../offline/tree-memory.js";
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
  const started = performance.now();
  const tree = values.stats ? sampleTreeMemory() : null;
  const out = resolve(values.out);
  const call = loadCall(values.call);
  const logLevel = values["log-level"];
  const logger = createLogger({ level: logLevel, name: "intake-parse" });
  const archive = new Archive({ root: resolve(values.archive ?? join(out, "..", "archive")), logger });
  const maxBytes = Math.max(1, Number(values["max-message-bytes"]) || 100 * 1024 * 1024);
  await mkdir(out, { recursive: true });

  const files = await findEmlFiles(positionals);
  const keys = new Map<string, string[]>();
  for (const f of files) {
    const { messageKey } = await archiveIncoming(archive, await readIncoming(f.path, f.mailbox, maxBytes));
    keys.set(messageKey, [...(keys.get(messageKey) ?? []), f.id]);
  }

  const workers = Math.max(1, Number(values["ocr-workers"]) || 1);
  const runner = createPipelineRunner({
    archive,
    call,
    logger,
    scans: () => createScanProcesses({ archiveRoot: archive.root, size: workers, logLevel, logName: "intake-parse", logger }),
  });
  const bars = { reading: progress("reading", keys.size), scans: null as ReturnType<typeof progress> | null };
  let outcome;
  try {
    outcome = await runner.runAll([...keys.keys()], {
      onProgress: (phase, _done, total) => {
        if (phase === "reading") bars.reading.tick();
        if (phase === "scans") (bars.scans ??= progress("scans", total)).tick();
      },
    });
  } finally {
    await runner.close();
  }
  const records = outcome.records;

  // Receipts go to the archive's outbox, never to the network: what the daemon would send.
  const mailer = createMailer({ mode: "outbox", from: call.mailboxes[0]!.address, outboxDir: join(archive.root, "outbox") });
  const ack = createAckHandler({ store: archive, mailer, call, logger });
  let receipts = 0;
  for (const [key, record] of records) {
    if (!record.ack) continue;
    const r = await ack({ messageKey: key, reason: record.followUpOf ? "update" : "new" }).catch((err: unknown) => {
      logger.error({ err, messageKey: key }, "receipt not written");
      return { sent: false };
    });
    if (r.sent) receipts++;
  }

  for (const [key, ids] of keys) {
    for (const id of ids) await writeFile(join(out, `${id}.json`), JSON.stringify(records.get(key), null, 2) + "\n");
  }
  const flagged = [...records.values()].flatMap((r) => r.submissions).filter((s) => s.flags.length).length;
  const failed = outcome.failed.length ? `, ${outcome.failed.length} failed (recorded for review)` : "";
  console.error(`parsed ${files.length} files, ${keys.size} messages, ${[...records.values()].reduce((n, r) => n + r.submissions.length, 0)} projects (${flagged} flagged)${failed}, ${receipts} receipts in the outbox → ${out}`);
  if (values.stats) {
    const cpu = process.cpuUsage();
    const stats = {
      messages: keys.size,
      seconds: +((performance.now() - started) / 1000).toFixed(1),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      // This process, its scan processes and their PDF processes: together, and the largest of them alone (sampled).
      ...(() => {
        const t = tree?.stop();
        return { treePeakRssMb: t?.treeMb ?? null, largestChildRssMb: t?.largestChildMb ?? null };
      })(),
      cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
      // Its scan processes and their PDF processes, once they have ended (Linux's reaped-children time).
      childCpuSeconds: childCpuSeconds(),
    };
    console.error(`stats ${JSON.stringify(stats)}`);
  }
  return 0;
}

/** An .eml file as a mailbox would hand it over: whole, or its headers only when over the size limit. */
async function readIncoming(path: string, mailbox: string, maxBytes: number): Promise<IncomingMessage> {
  const size = (await stat(path)).size;
  if (size <= maxBytes) return { mailbox, raw: await readFile(path) };
  const fh = await open(path, "r");
  try {
    const head = Buffer.alloc(Math.min(size, 256 * 1024));
    await fh.read(head, 0, head.length, 0);
    return { mailbox, raw: headersOf(head), oversized: { size, limit: maxBytes } };
  } finally {
    await fh.close();
  }
}

/** CPU seconds of this process's ended children and theirs, from /proc (null elsewhere). */
function childCpuSeconds(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "latin1");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return +((Number(f[13]) + Number(f[14])) / 100).toFixed(1);
  } catch {
    return null;
  }
}
