// Builds an archive folder (the pipeline's layout) from the sample emails'
// ground truth (samples/, laid out as the corpus), so the renderers are tested
// on real records.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { MessageResult } from "@intake/schema";
import type { ArchiveReader } from "../src/index.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const callPath = join(repoRoot, "config/calls/2026.yaml");
const samples = join(repoRoot, "samples");

function emlPath(id: string, mailboxes: string[]): string | undefined {
  for (const m of mailboxes) {
    const p = join(samples, "mailboxes", m, `${id}.eml`);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function header(eml: Buffer, name: string): string | null {
  const head = eml.subarray(0, 64 * 1024).toString("latin1").split(/\r?\n\r?\n/)[0] ?? "";
  const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, "mi").exec(head);
  return m ? m[1]!.replace(/\r?\n[ \t]+/g, " ").trim() : null;
}

/** A ground-truth file as the record the pipeline writes. */
export function recordFromExpected(exp: any, eml: Buffer | undefined): MessageResult {
  const date = eml ? header(eml, "Date") : null;
  const attachments: NonNullable<MessageResult["attachments"]> = [];
  const stored = (name: string) => {
    const i = attachments.length;
    const ext = /\.[a-z0-9]{1,5}$/i.exec(name)?.[0].toLowerCase() ?? "";
    // As the pipeline records it: the archive-relative path.
    attachments.push({ name, stored: `messages/${exp.id}/attachments/${String(i + 1).padStart(2, "0")}${ext}`, type: ext.slice(1) || "bin", size: 0 });
  };
  for (const s of exp.submissions) {
    if (s.word) stored(s.word);
    for (const n of s.scan) stored(n);
  }
  return {
    messageId: exp.messageId,
    messageKey: exp.id,
    kind: exp.kind,
    ack: exp.ack,
    from: eml ? header(eml, "From") : null,
    subject: null,
    receivedAt: date ? new Date(date).toISOString() : null,
    mailboxes: exp.mailboxes,
    followUpOf: exp.followUpOf,
    attachments,
    submissions: exp.submissions.map((s: any) => ({
      ...s,
      ...(s.signoff.seal ? { decisions: { seal: { outcome: "found", confidence: 0.92, evidence: { page: 1, crop: `messages/${exp.id}/evidence/seal.png` } } } } : {}),
    })),
  };
}

/** A folder archive with the pipeline's layout: messages/<key>/{message.eml, record.json, attachments/, evidence/}. */
export class FolderArchive implements ArchiveReader {
  constructor(readonly root: string) {}
  async listMessages(): Promise<string[]> {
    return existsSync(join(this.root, "messages")) ? readdirSync(join(this.root, "messages")).sort() : [];
  }
  async readRecord(key: string): Promise<unknown> {
    const p = join(this.root, "messages", key, "record.json");
    return existsSync(p) ? JSON.parse(readFileSync(p, "utf8")) : undefined;
  }
  async readFile(relPath: string): Promise<Buffer> {
    const p = resolve(this.root, relPath);
    const rel = relative(this.root, p);
    if (rel.startsWith("..") || rel.includes(`..${sep}`) || isAbsolute(rel)) throw new Error(`path leaves the archive: ${relPath}`);
    return readFile(p);
  }
}

/** Writes one record (and its files) into an archive folder. */
export function putRecord(root: string, rec: MessageResult, eml?: Buffer, seal?: Buffer): void {
  const dir = join(root, "messages", rec.messageKey);
  mkdirSync(join(dir, "attachments"), { recursive: true });
  writeFileSync(join(dir, "message.eml"), eml ?? "");
  for (const a of rec.attachments ?? []) {
    const body = Buffer.from(`archived copy of ${a.name}\n`);
    a.size = body.length;
    const path = a.stored!.startsWith("messages/") ? join(root, a.stored!) : join(dir, "attachments", a.stored!);
    writeFileSync(path, body);
  }
  if (seal && rec.submissions.some((s) => s.decisions?.seal?.evidence?.crop)) {
    mkdirSync(join(dir, "evidence"), { recursive: true });
    writeFileSync(join(dir, "evidence", "seal.png"), seal);
  }
  writeFileSync(join(dir, "record.json"), JSON.stringify(rec, null, 2));
}

/** Every sample message as a record in a fresh archive folder, with a drawn seal as the seal's evidence crop. */
export async function sampleArchive(): Promise<{ root: string; archive: FolderArchive; records: MessageResult[] }> {
  const root = await mkdtemp(join(tmpdir(), "report-archive-"));
  const seal = readFileSync(join(repoRoot, "test/fixtures/seals/round.png"));
  const dir = join(samples, "expected");
  const records: MessageResult[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
    const exp = JSON.parse(readFileSync(join(dir, f), "utf8"));
    const p = emlPath(exp.id, exp.mailboxes);
    const eml = p ? readFileSync(p) : undefined;
    const rec = recordFromExpected(exp, eml);
    putRecord(root, rec, eml, seal);
    records.push(rec);
  }
  return { root, archive: new FolderArchive(root), records };
}

/** Values a hostile sender puts in form fields and file names (corpus-hostile hd-23). */
export const XSS = {
  unit: `<script>alert("unit")</script>某学会`,
  project: `<img src=x onerror=alert("project")>交流项目`,
  contact: `"><svg onload=alert("contact")>`,
  file: `<script>alert("file")</script>.docx`,
  formula: `=HYPERLINK("http://attacker.example/","click")`,
};

/** A record carrying the hostile values, to add to an archive. */
export function hostileRecord(base: MessageResult): MessageResult {
  const s = base.submissions[0]!;
  return {
    ...base,
    messageKey: "hd-23-xss-html-and-fields",
    messageId: "<hd-23@attacker.example>",
    subject: `<script>alert("subject")</script>`,
    from: `"<b>x</b>" <apply@attacker.example>`,
    receivedAt: "2026-01-12T03:00:00.000Z",
    // A bare stored name (older records): resolved inside the message's attachments folder.
    attachments: [{ name: XSS.file, stored: "01.docx", type: "docx", size: 0 }],
    submissions: [{
      ...s,
      projectKey: "hostile",
      word: XSS.file,
      scan: [],
      fields: { ...s.fields, "cover.applicantUnit": XSS.unit, "unit.name": XSS.unit, "cover.projectName": XSS.project, "cover.contactName": XSS.contact, "cover.phone": XSS.formula, "cover.mobile": "+8613800000000", plan: "@SUM(A1:A2)\n-2+3" },
      signoff: { signature: null, seal: null },
      flags: ["missing-scan", "invalid-field:cover.phone"],
      flagDetails: [{ code: "invalid-field", field: "cover.phone", detail: `<i>not a phone</i>` }],
    }],
  };
}
