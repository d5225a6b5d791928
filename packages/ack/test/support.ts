// Helpers for the package's tests: the sample emails (or the corpus of the
// measurement data, same layout) as records in the record's shape, and a
// directory-backed store with the archive's contract.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadCall, type Call, type MessageResult } from "@intake/schema";
import type { AckStore } from "../src/index.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
/** The sample emails: mailboxes/<mailbox>/<id>.eml and expected/<id>.json. */
export const samples = join(repoRoot, "samples");

export function call2026(): Call {
  return loadCall(join(repoRoot, "config/calls/2026.yaml"));
}

export interface CorpusItem {
  id: string;
  emlPath: string;
  expected: {
    id: string;
    mailboxes: string[];
    messageId: string;
    kind: MessageResult["kind"];
    ack: boolean;
    submissions: MessageResult["submissions"];
  };
}

/** Every email of a corpus folder (default: the samples) with its ground truth. */
export function corpusItems(corpus = samples): CorpusItem[] {
  const dir = join(corpus, "expected");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const expected = JSON.parse(readFileSync(join(dir, f), "utf8")) as CorpusItem["expected"];
      const emlPath = join(corpus, "mailboxes", expected.mailboxes[0]!, `${expected.id}.eml`);
      return { id: expected.id, emlPath, expected };
    });
}

/** The corpus's ground truth as the record the pipeline stores (ground truth has no flag details). */
export function recordOf(item: CorpusItem): MessageResult {
  const e = item.expected;
  return {
    messageId: e.messageId,
    messageKey: item.id,
    kind: e.kind,
    ack: e.ack,
    mailboxes: e.mailboxes,
    submissions: e.submissions.map((s) => ({ ...s, signoff: s.signoff ?? { signature: null, seal: null } })),
  };
}

/** A store over a directory, laid out as the archive is: messages/<key>/{record.json,raw.eml}. */
export class DirStore implements AckStore {
  constructor(readonly root: string) {}
  async addMessage(record: MessageResult, raw: Buffer): Promise<void> {
    const dir = join(this.root, "messages", record.messageKey);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "raw.eml"), raw);
    await writeFile(join(dir, "record.json"), JSON.stringify(record));
  }
  async readRecord(key: string): Promise<MessageResult | null> {
    const p = join(this.root, "messages", key, "record.json");
    return existsSync(p) ? (JSON.parse(await readFile(p, "utf8")) as MessageResult) : null;
  }
  async readRaw(key: string): Promise<Buffer | null> {
    const p = join(this.root, "messages", key, "raw.eml");
    return existsSync(p) ? readFile(p) : null;
  }
  async readJson(rel: string): Promise<unknown> {
    return JSON.parse(await readFile(join(this.root, rel), "utf8"));
  }
  async putJson(rel: string, value: unknown): Promise<void> {
    const p = join(this.root, rel);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(`${p}.tmp`, JSON.stringify(value, null, 2));
    await rename(`${p}.tmp`, p);
  }
}
