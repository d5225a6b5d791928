// An archive in the pipeline's layout, built from the repository's sample
// mailboxes (samples/): the raw emails, their attachments as the pipeline
// stores them, and records from the samples' expected parse, with machine
// judgments (and their evidence) a test chooses. Needs nothing outside the repository.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { simpleParser } from "mailparser";
import { listPages } from "@intake/scan/pages";
import type { MessageResult, SubmissionResult } from "@intake/schema";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const callPath = join(repoRoot, "config/calls/2026.yaml");

const EXT: Record<string, string> = { "application/pdf": ".pdf" };

export interface SampleOptions {
  /** Sample ids (samples/expected/<id>.json). */
  ids: string[];
  /** Replaces the raw email's From address (e.g. a test mailbox that receives the receipt). */
  from?: (id: string) => string | undefined;
  /** Changes a record after it is built (machine judgments, flags). */
  patch?: (record: MessageResult) => void;
  root?: string;
}

/** Writes the samples into a fresh archive folder; returns the folder and the records. */
export async function sampleArchive(o: SampleOptions): Promise<{ root: string; records: MessageResult[] }> {
  const root = o.root ?? (await mkdtemp(join(tmpdir(), "workbench-archive-")));
  const records: MessageResult[] = [];
  for (const id of o.ids) {
    const exp = JSON.parse(readFileSync(join(repoRoot, "samples/expected", `${id}.json`), "utf8"));
    let raw = readFileSync(join(repoRoot, "samples/mailboxes", exp.mailboxes[0], `${id}.eml`));
    const from = o.from?.(id);
    if (from) {
      const text = raw.toString("latin1");
      const end = text.search(/\r?\n\r?\n/);
      raw = Buffer.from(text.slice(0, end).replace(/^From:.*(?:\r?\n[ \t].*)*/m, `From: <${from}>`) + text.slice(end), "latin1");
    }
    const key = id;
    const dir = join(root, "messages", key);
    mkdirSync(join(dir, "attachments"), { recursive: true });
    writeFileSync(join(dir, "message.eml"), raw);
    const parsed = await simpleParser(raw);
    const attachments: NonNullable<MessageResult["attachments"]> = [];
    for (const [i, a] of parsed.attachments.entries()) {
      const name = a.filename ?? `attachment-${i + 1}`;
      const ext = /\.[a-z0-9]{1,5}$/i.exec(name)?.[0].toLowerCase() ?? EXT[a.contentType] ?? "";
      const stored = `messages/${key}/attachments/${String(i + 1).padStart(2, "0")}${ext}`;
      writeFileSync(join(root, stored), a.content);
      const type = ext === ".pdf" ? "pdf" : ext === ".docx" ? "docx" : ext === ".doc" || ext === ".wps" ? "ole" : ext.slice(1) || "unknown";
      attachments.push({ name, stored, type, size: a.size });
    }
    const submissions: SubmissionResult[] = [];
    for (const s of exp.submissions) {
      let pages: number | undefined;
      for (const scan of s.scan as string[]) {
        const a = parsed.attachments.find((x) => x.filename === scan);
        if (!a) continue;
        const list = await listPages([{ name: scan, type: "pdf", content: a.content }], { pages: 50, megapixels: 100, ocrMegapixels: 0, fileBytes: 50 << 20 }, []);
        pages = (pages ?? 0) + list.pages.length;
        await list.close();
      }
      submissions.push({ ...s, signoff: { ...(s.signoff ?? { signature: null, seal: null }), ...(pages ? { pages } : {}) }, flagDetails: (s.flags as string[]).map((f) => {
        const i = f.indexOf(":");
        return i < 0 ? { code: f } : { code: f.slice(0, i), field: f.slice(i + 1) };
      }) });
    }
    const record: MessageResult = {
      messageId: exp.messageId,
      messageKey: key,
      kind: exp.kind,
      ack: exp.ack,
      from: parsed.from?.text ?? null,
      subject: parsed.subject ?? null,
      receivedAt: parsed.date?.toISOString() ?? null,
      mailboxes: exp.mailboxes,
      followUpOf: exp.followUpOf ?? null,
      attachments,
      submissions,
    };
    o.patch?.(record);
    writeFileSync(join(dir, "record.json"), JSON.stringify(record, null, 2));
    records.push(record);
  }
  return { root, records };
}

/**
 * A seal the machine wrongly missed: confident not-found on the last page, the
 * region it searched, and the flag that follows. The boxes are where the
 * sign-off block of the samples' scans is (msg-016's last page).
 */
export function machineMissedSeal(s: SubmissionResult): void {
  const page = s.signoff.pages ?? 1;
  s.decisions = {
    ...s.decisions,
    signature: { outcome: "found", confidence: 0.91, reason: "read-in-full", evidence: { page, box: { x0: 0.42, y0: 0.1, x1: 0.53, y1: 0.16 } } },
    seal: { outcome: "not-found", confidence: 0.82, reason: "read-in-full", evidence: { page, searched: [{ x0: 0.5, y0: 0.07, x1: 0.92, y1: 0.31 }] } },
    scanMatch: { outcome: "found", confidence: 0.9, reason: "read-in-full", evidence: { expected: s.fields["cover.projectName"] ?? "", actual: s.fields["cover.projectName"] ?? "" } },
  };
  s.signoff = { ...s.signoff, signature: true, seal: false };
  s.flags = [...s.flags, "missing-seal"];
  s.flagDetails = [...(s.flagDetails ?? []), { code: "missing-seal" }];
}
