// The repository's own application emails (samples/): the same layout as the
// development corpus (mailboxes/<mailbox>/<id>.eml, expected/<id>.json), small
// enough to commit, so the tests that need real emails run on a bare clone.
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";

export const samplesDir = resolve(import.meta.dirname, "../../samples");
export const sampleMailboxes = join(samplesDir, "mailboxes");

/** One sample email by mailbox folder and file name. */
export function sampleEmail(mailbox: string, name: string): Promise<Buffer> {
  return readFile(join(sampleMailboxes, mailbox, name));
}

/** The first `n` sample emails of a mailbox folder that carry a Message-ID, by file name. */
export async function sampleEmails(mailbox: string, n: number): Promise<Buffer[]> {
  const names = (await readdir(join(sampleMailboxes, mailbox))).filter((f) => f.endsWith(".eml")).sort();
  const out: Buffer[] = [];
  for (const name of names) {
    const raw = await sampleEmail(mailbox, name);
    if (/^message-id:/im.test(raw.subarray(0, 8192).toString("latin1"))) out.push(raw);
    if (out.length === n) break;
  }
  if (out.length < n) throw new Error(`only ${out.length} sample emails with a Message-ID in ${mailbox}, ${n} wanted`);
  return out;
}
