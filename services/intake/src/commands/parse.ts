import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { loadCall, type MessageResult } from "@intake/schema";
import { createOcrPool, pdfProcessCpuSeconds } from "@intake/scan";
import { createAckHandler, createMailer } from "@intake/ack";
import { Archive, assembleStep, createLogger, parseStep, recordUnparsable, scanStep, type ParsedStage } from "@intake/pipeline";
import { findEmlFiles } from "../offline/eml-files.js";
import { progress } from "../offline/progress.js";
import { DEFAULT_CALL } from "../defaults.js";

const HELP = `usage: intake parse PATH... --out DIR [--archive DIR] [--call FILE] [--ocr-workers N] [--stats]

Parses .eml files (or folders of them, recursively; a file's folder names its
mailbox) with no Redis, IMAP or SMTP, through the daemon's own pipeline, and
writes DIR/<file name without .eml>.json per email. The same email in two
folders is parsed once. --archive keeps the archive (default: DIR/../archive).
--stats prints the time taken and the peak memory (RSS) at the end.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: "string" },
      archive: { type: "string" },
      call: { type: "string", default: DEFAULT_CALL },
      "ocr-workers": { type: "string", default: "2" },
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
  const out = resolve(values.out);
  const call = loadCall(values.call);
  const logger = createLogger({ level: values["log-level"], name: "intake-parse" });
  const archive = new Archive({ root: resolve(values.archive ?? join(out, "..", "archive")), logger });
  await mkdir(out, { recursive: true });

  const files = await findEmlFiles(positionals);
  const keys = new Map<string, string[]>();
  for (const f of files) {
    const raw = await readFile(f.path);
    const { messageKey: key } = await archive.putMessage(raw, { mailbox: f.mailbox, seenAt: new Date().toISOString() });
    keys.set(key, [...(keys.get(key) ?? []), f.id]);
  }
  const deps = { archive, call, logger };

  const bar = progress("reading", keys.size);
  const parsed: ParsedStage[] = [];
  const records = new Map<string, MessageResult>();
  for (const key of keys.keys()) {
    try {
      parsed.push(await parseStep(key, deps));
    } catch (err) {
      records.set(key, await unparsable(key, err, archive, logger));
    }
    bar.tick();
  }

  const groups = parsed.flatMap((p) => p.scanGroups.map((g) => ({ key: p.messageKey, group: g.id })));
  const workers = Math.max(1, Number(values["ocr-workers"]) || 1);
  const ocr = await createOcrPool({ size: workers, logger });
  try {
    const scanBar = progress("scans", groups.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (next < groups.length) {
          const g = groups[next++]!;
          // A scan that fails here is recorded as unreadable by the assemble step.
          await scanStep(g.key, g.group, { ...deps, ocr }).catch((err: unknown) => logger.error({ err, messageKey: g.key }, "scan failed"));
          scanBar.tick();
        }
      }),
    );
  } finally {
    await ocr.close();
  }

  // Chronological, so that versions of a project link the way they arrived.
  parsed.sort((a, b) => (Date.parse(a.receivedAt ?? "") || 0) - (Date.parse(b.receivedAt ?? "") || 0));
  for (const p of parsed) {
    try {
      records.set(p.messageKey, (await assembleStep(p.messageKey, deps)).record);
    } catch (err) {
      records.set(p.messageKey, await unparsable(p.messageKey, err, archive, logger));
    }
  }
  // Later records may have been updated by an earlier version processed after them.
  for (const key of records.keys()) records.set(key, (await archive.readRecord(key)) ?? records.get(key)!);

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
  console.error(`parsed ${files.length} files, ${keys.size} messages, ${[...records.values()].reduce((n, r) => n + r.submissions.length, 0)} projects (${flagged} flagged), ${receipts} receipts in the outbox → ${out}`);
  if (values.stats) {
    const cpu = process.cpuUsage();
    const stats = {
      messages: keys.size,
      seconds: +((performance.now() - started) / 1000).toFixed(1),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(1),
      // The PDF processes this one started (read from /proc before each was stopped).
      pdfCpuSeconds: pdfProcessCpuSeconds(),
    };
    console.error(`stats ${JSON.stringify(stats)}`);
  }
  return 0;
}

/** A message the pipeline could not handle still gets a record (kind "other"), and the error is logged. */
async function unparsable(key: string, err: unknown, archive: Archive, logger: ReturnType<typeof createLogger>): Promise<MessageResult> {
  logger.error({ err, messageKey: key }, "message could not be parsed");
  return recordUnparsable(key, err, archive);
}
