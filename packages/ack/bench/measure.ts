// Measures the receipt's reading and composing over the shared mail sets:
// how many emails get a receipt, how many are refused and why, the longest
// header line and subject, and the time per email. Prints numbers; asserts nothing.
//   node --import tsx packages/ack/bench/measure.ts   (from the repository root)
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import nodemailer from "nodemailer";
import { loadCall, type MessageResult } from "@intake/schema";
import { ackReference, chooseRecipient, composeAck, readOriginal } from "../src/index.js";
import { sharedDir as shared } from "../../../test/support/shared-dir.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const call = loadCall(join(repoRoot, "config/calls/2026.yaml"));
const render = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });

function emls(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".eml"))
    .map((f) => join(dir, f));
}

/** Every email as if the pipeline had called it a submission: only the header rules decide. */
function asSubmission(key: string): MessageResult {
  return { messageId: null, messageKey: key, kind: "submission", ack: true, submissions: [] };
}

async function measure(name: string, files: string[]): Promise<void> {
  const why = new Map<string, number>();
  let composed = 0;
  let errors = 0;
  let maxLine = 0;
  let maxSubject = 0;
  let slowest = 0;
  const t0 = performance.now();
  for (const f of files) {
    const t = performance.now();
    try {
      const original = await readOriginal(readFileSync(f));
      const choice = chooseRecipient(original, call);
      why.set(choice.why, (why.get(choice.why) ?? 0) + 1);
      const ack = composeAck({ record: asSubmission(f), original, call, reference: ackReference(call, f) });
      if (ack) {
        composed++;
        maxSubject = Math.max(maxSubject, Array.from(ack.subject).length);
        const out = (await render.sendMail({ from: "guoyunlong@cast.org.cn", ...ack })).message as Buffer;
        const head = out.toString("utf8").split("\r\n\r\n")[0]!;
        for (const l of head.split("\r\n")) maxLine = Math.max(maxLine, l.length);
      }
    } catch (e) {
      errors++;
      console.error(`${name}: ${f}: ${String(e)}`);
    }
    slowest = Math.max(slowest, performance.now() - t);
  }
  const ms = performance.now() - t0;
  console.log(
    `${name}: ${files.length} emails, ${composed} receipts, errors ${errors}, ` +
      `recipient rule ${JSON.stringify(Object.fromEntries(why))}, longest subject ${maxSubject} chars, ` +
      `longest header line ${maxLine} bytes, ${(ms / Math.max(1, files.length)).toFixed(1)} ms/email, slowest ${slowest.toFixed(0)} ms`,
  );
}

await measure("corpus", emls(join(shared, "corpus/mailboxes")));
await measure("corpus-hostile", emls(join(shared, "corpus-hostile")));
await measure("wild-mail", emls(join(shared, "wild-mail")));
