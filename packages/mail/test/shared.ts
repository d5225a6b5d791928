import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface CorpusMessage {
  id: string;
  file: string;
  expected: {
    messageId: string | null;
    kind: string;
    ack: boolean;
    submissions: { word: string | null; scan: string[] }[];
  };
}

/** Every email of a corpus folder (mailboxes/, expected/; one copy per mailbox it sits in) with its ground truth. */
export function corpusMessages(root: string): CorpusMessage[] {
  const out: CorpusMessage[] = [];
  for (const box of readdirSync(path.join(root, "mailboxes")).sort()) {
    for (const f of readdirSync(path.join(root, "mailboxes", box)).filter((n) => n.endsWith(".eml")).sort()) {
      const id = f.replace(/\.eml$/, "");
      const expected = JSON.parse(readFileSync(path.join(root, "expected", `${id}.json`), "utf8")) as CorpusMessage["expected"];
      out.push({ id, file: path.join(root, "mailboxes", box, f), expected });
    }
  }
  return out;
}

export function emlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith(".eml"))
    .sort()
    .map((n) => path.join(dir, n));
}

/** A message assembled from header lines and a body, CRLF line ends. */
export function eml(lines: (string | Buffer)[]): Buffer {
  return Buffer.concat(lines.map((l) => Buffer.concat([typeof l === "string" ? Buffer.from(l, "utf8") : l, Buffer.from("\r\n")])));
}
