import { readFileSync } from "node:fs";
import { mkdir, open, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Logger } from "pino";
import type { Call } from "@intake/schema";
import { createAckHandler, createMailer } from "@intake/ack";
import { Archive } from "@intake/archive";
import { archiveIncoming, createPipelineRunner, createScanProcesses, headersOf, type IncomingMessage } from "@intake/pipeline";
import { findEmlFiles } from "./eml-files.js";
import { sampleTreeMemory } from "./tree-memory.js";

// `intake parse`: the daemon's pipeline over .eml files, with no Redis, IMAP or SMTP.

export interface ParseFilesOptions {
  /** .eml files, or folders of them (recursively; a file's folder names its mailbox). */
  paths: readonly string[];
  /** Where DIR/<file name without .eml>.json goes. */
  out: string;
  /** The archive's folder; default DIR/../archive. */
  archive?: string;
  call: Call;
  logger: Logger;
  logLevel: string;
  /** Scanned copies read at once, each in its own process. */
  ocrWorkers: number;
  /** An email over this is taken as its headers only, flagged, as the daemon does. */
  maxMessageBytes: number;
  /** Measure time, memory and CPU (see ParseStats). */
  stats?: boolean;
  onProgress?: (phase: "reading" | "scans" | "records", done: number, total: number) => void;
}

export interface ParseSummary {
  files: number;
  messages: number;
  projects: number;
  flagged: number;
  /** Messages whose processing failed for good (each has a record for review). */
  failed: number;
  receipts: number;
  out: string;
  stats: ParseStats | null;
}

export interface ParseStats {
  messages: number;
  seconds: number;
  peakRssMb: number;
  treePeakRssMb: number | null;
  largestChildRssMb: number | null;
  cpuSeconds: number;
  childCpuSeconds: number | null;
}

/** Parses the files, writes one record per file and the receipts to the archive's outbox. */
export async function parseFiles(opts: ParseFilesOptions): Promise<ParseSummary> {
  const started = performance.now();
  const tree = opts.stats ? sampleTreeMemory() : null;
  const out = resolve(opts.out);
  const { call, logger, logLevel } = opts;
  const archive = new Archive({ root: resolve(opts.archive ?? join(out, "..", "archive")), logger });
  const maxBytes = opts.maxMessageBytes;
  await mkdir(out, { recursive: true });

  const files = await findEmlFiles(opts.paths);
  const keys = new Map<string, string[]>();
  for (const f of files) {
    const { messageKey } = await archiveIncoming(archive, await readIncoming(f.path, f.mailbox, maxBytes));
    keys.set(messageKey, [...(keys.get(messageKey) ?? []), f.id]);
  }

  const workers = opts.ocrWorkers;
  const runner = createPipelineRunner({
    archive,
    call,
    logger,
    scans: () => createScanProcesses({ archiveRoot: archive.root, size: workers, logLevel, logName: "intake-parse", logger }),
  });
  let outcome;
  try {
    outcome = await runner.runAll([...keys.keys()], { ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
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
  const projects = [...records.values()].reduce((n, r) => n + r.submissions.length, 0);
  let stats: ParseStats | null = null;
  if (opts.stats) {
    const cpu = process.cpuUsage();
    stats = {
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
  }
  return { files: files.length, messages: keys.size, projects, flagged, failed: outcome.failed.length, receipts, out, stats };
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
