import type { Logger } from "pino";
import type { Call, MessageResult } from "@intake/schema";
import type { Archive } from "@intake/archive";
import type { ParsedStage } from "../stage.js";
import { recordStepFailure, errorText, type RecordStep } from "./failure.js";
import { messageLogger } from "./message-logger.js";
import type { ScanExecutor } from "./scan-processes.js";
import { assembleStep, parseStep } from "./steps.js";

export interface PipelineRunnerOptions {
  archive: Archive;
  call: Call;
  logger: Logger;
  /** Where scanned copies are read (made on first use, so runs without scans start none). */
  scans: () => ScanExecutor;
}

export interface RunOutcome {
  /** Every message's record as stored at the end (later versions may have rewritten earlier ones). */
  records: Map<string, MessageResult>;
  /** Messages a step failed on, with the step and why (each has a record saying so). */
  failed: Array<{ messageKey: string; step: RecordStep; error: string }>;
  /** Messages whose record completed an earlier message (a follow-up with the scan). */
  followUps: Set<string>;
}

export interface RunAllOptions {
  /** Called as work advances, for a progress bar. */
  onProgress?: (phase: "reading" | "scans" | "records", done: number, total: number) => void;
}

/**
 * The one pipeline runner: the daemon's parse, scan and assemble jobs call
 * its steps one at a time (on whichever machines run those roles), and
 * `intake parse` and `intake replay` run every step in one process with
 * runAll. Either way a message ends the same: a record, and when a step of
 * ours fails for good a record that says so and asks for a person.
 */
export interface PipelineRunner {
  parse(messageKey: string, logger?: Logger): Promise<ParsedStage>;
  scan(messageKey: string, group: string, ctx?: { jobId?: string }): Promise<void>;
  assemble(messageKey: string, logger?: Logger): Promise<{ record: MessageResult; followUp: boolean }>;
  /** A parse or assemble that will not be retried: its record, with the reason. */
  failed(messageKey: string, step: RecordStep, err: unknown, logger?: Logger): Promise<MessageResult>;
  /** A scan that will not be retried: logged; assembly then leaves its decisions undecided, for a person. */
  scanFailed(messageKey: string, group: string, err: unknown, logger?: Logger): Promise<void>;
  /** Every step for these messages in this process, oldest first (versions of a project link in arrival order). */
  runAll(keys: readonly string[], opts?: RunAllOptions): Promise<RunOutcome>;
  close(): Promise<void>;
}

export function createPipelineRunner(opts: PipelineRunnerOptions): PipelineRunner {
  const { archive, call } = opts;
  let scans: ScanExecutor | null = null;
  const executor = (): ScanExecutor => (scans ??= opts.scans());
  const log = (key: string, logger?: Logger): Logger => messageLogger(logger ?? opts.logger, key);

  const runner: PipelineRunner = {
    parse: (key, logger) => parseStep(key, { archive, call, logger: log(key, logger) }),
    scan: (key, group, ctx) => executor().scan(key, group, ctx),
    assemble: (key, logger) => assembleStep(key, { archive, call, logger: log(key, logger) }),

    async failed(key, step, err, logger) {
      log(key, logger).error({ err, step }, `${step} failed for good; the record says so and asks for review`);
      return recordStepFailure(archive, key, step, err);
    },

    async scanFailed(key, group, err, logger) {
      log(key, logger).error({ err, scanGroup: group }, "scan failed for good; its signature and seal stay undecided, for a person");
    },

    async runAll(keys, runOpts = {}) {
      const progress = runOpts.onProgress ?? (() => undefined);
      const failed = new Map<string, { step: RecordStep; error: string }>();
      const fail = async (key: string, step: RecordStep, err: unknown) => {
        failed.set(key, { step, error: errorText(err) });
        await runner.failed(key, step, err);
      };

      const parsed: ParsedStage[] = [];
      for (const [i, key] of keys.entries()) {
        try {
          parsed.push(await runner.parse(key));
        } catch (err) {
          await fail(key, "parse", err);
        }
        progress("reading", i + 1, keys.length);
      }

      const groups = parsed.flatMap((p) => p.scanGroups.map((g) => ({ key: p.messageKey, group: g.id })));
      if (groups.length) {
        const ex = executor();
        let next = 0;
        let done = 0;
        await Promise.all(
          Array.from({ length: ex.size }, async () => {
            while (next < groups.length) {
              const g = groups[next++]!;
              // One try here, as a job's last attempt: a failure is noted and the record sends it to a person.
              await ex.scan(g.key, g.group).catch((err: unknown) => runner.scanFailed(g.key, g.group, err));
              progress("scans", ++done, groups.length);
            }
          }),
        );
      }

      // Chronological, so that versions of a project link the way they arrived.
      const order = [...parsed].sort((a, b) => (Date.parse(a.receivedAt ?? "") || 0) - (Date.parse(b.receivedAt ?? "") || 0));
      const followUps = new Set<string>();
      for (const [i, p] of order.entries()) {
        try {
          if ((await runner.assemble(p.messageKey)).followUp) followUps.add(p.messageKey);
        } catch (err) {
          await fail(p.messageKey, "assemble", err);
        }
        progress("records", i + 1, order.length);
      }

      const records = new Map<string, MessageResult>();
      for (const key of keys) {
        const rec = await archive.readRecord(key).catch(() => null);
        if (rec) records.set(key, rec);
      }
      return { records, failed: [...failed].map(([messageKey, f]) => ({ messageKey, ...f })), followUps };
    },

    async close() {
      await scans?.close();
    },
  };
  return runner;
}
