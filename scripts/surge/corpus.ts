// The surge's emails: each corpus email is a template; every submission of
// the surge is a copy with a Message-ID and a sender of its own, delivered to
// the same mailboxes as its template (one email in both mailboxes stays one
// email), so the corpora's mix of Word-plus-scan, scan-only, Word-only and
// non-submissions is kept.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { messageKeyOf } from "../../packages/mail/src/message-key.js";

export interface Template {
  /** Where the template came from: corpus folder name and file name. */
  origin: string;
  /** The template's copies, one per mailbox it was sent to. */
  copies: Array<{ mailbox: string; raw: Buffer }>;
}

/** The corpora's emails, grouped by message key (the same email in both mailboxes is one template). */
export async function loadTemplates(corpora: readonly string[]): Promise<Template[]> {
  const byKey = new Map<string, Template>();
  for (const corpus of corpora) {
    const root = join(corpus, "mailboxes");
    for (const mailbox of (await readdir(root)).sort()) {
      const names = (await readdir(join(root, mailbox))).filter((n) => n.endsWith(".eml")).sort();
      for (const n of names) {
        const raw = await readFile(join(root, mailbox, n));
        const key = `${corpus}\u0000${messageKeyOf(raw)}`;
        const t = byKey.get(key) ?? { origin: `${corpus.split("/").pop()}/${n}`, copies: [] };
        t.copies.push({ mailbox, raw });
        byKey.set(key, t);
      }
    }
  }
  return [...byKey.values()];
}

/**
 * A copy of an email with a new Message-ID and a sender of its own: the From
 * address's local part gets a suffix (the domain is kept, so the receiving
 * server's authentication results still align). The bytes are handled as
 * latin1, so raw GBK headers survive untouched.
 */
export function rekey(raw: Buffer, n: number, runId: string): { raw: Buffer; messageId: string } {
  const text = raw.toString("latin1");
  const m = /\r?\n\r?\n/.exec(text);
  const end = m ? m.index : text.length;
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const messageId = `surge-${runId}-${n}@bench.invalid`;
  // Unfolded header lines, so a folded Message-ID or From is replaced whole.
  const lines = text.slice(0, end).split(/\r?\n(?![ \t])/);
  let hadId = false;
  const out = lines.map((line) => {
    const name = line.slice(0, line.indexOf(":")).trim().toLowerCase();
    if (name === "message-id") {
      hadId = true;
      return `Message-ID: <${messageId}>`;
    }
    if (name === "from" || name === "sender" || name === "reply-to" || name === "return-path") {
      return line.replace(/([A-Za-z0-9._%+-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g, (_a, local: string, domain: string) => `${local}.s${runId}-${n}@${domain}`);
    }
    return line;
  });
  if (!hadId) out.push(`Message-ID: <${messageId}>`);
  return { raw: Buffer.from(out.join(eol) + text.slice(end), "latin1"), messageId };
}

/** A seeded order of the templates, repeated as often as needed: the i-th submission's template. */
export function templateOrder(templates: readonly Template[], seed: number): (i: number) => Template {
  const order = templates.map((_, i) => i);
  let a = seed >>> 0;
  const rnd = () => {
    // mulberry32, as the chaos harness uses: the same seed gives the same surge.
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return (i) => templates[order[i % order.length]!]!;
}
