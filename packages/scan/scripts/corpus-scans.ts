import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { unzipSync } from "fflate";
import { simpleParser } from "mailparser";
import { sniffType, type ScanFile } from "../src/index.js";
import { sharedPath } from "../../../test/support/shared-dir.js";

/** The development corpus of the measurement data. */
export const corpusDir = sharedPath("corpus");
/** The repository's sample emails, laid out as the corpus (without its MANIFEST.json). */
export const samplesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../samples");

export interface CorpusCopy {
  id: string;
  /** The corpus folder it comes from (corpus, corpus-scans, samples). */
  corpus: string;
  /** How the copy was made: colour, grey, phone (null when the manifest does not say). */
  mode: string | null;
  /** No Word form came with it: its fields are read from the scan. */
  scanOnly: boolean;
  /** How the amounts are written (upper: 壹拾万元整). */
  amountStyle: string | null;
  files: ScanFile[];
  truth: { signature: boolean | null; seal: boolean | null } | null;
  signedDate: string | null;
}

const SCAN_TYPES = new Set(["pdf", "jpeg", "png", "tiff", "gif", "bmp", "webp"]);

/** The scan-like attachments of one email (PDFs and images, also inside .zip), typed from their bytes. */
export async function scanAttachments(eml: Buffer): Promise<ScanFile[]> {
  const mail = await simpleParser(eml);
  const out: ScanFile[] = [];
  for (const a of mail.attachments) {
    const name = a.filename ?? "attachment";
    const isZip = a.content.subarray(0, 4).toString("latin1") === "PK\u0003\u0004";
    if (isZip && /\.(docx|doc|wps)$/i.test(name)) continue;
    if (isZip) {
      try {
        const entries = unzipSync(new Uint8Array(a.content), { filter: (f) => f.originalSize < 50 * 1024 * 1024 });
        // A Word file (whatever its name) is no scan, nor are the pictures inside it.
        if ("[Content_Types].xml" in entries) continue;
        for (const [n, data] of Object.entries(entries)) {
          const t = sniffType(Buffer.from(data));
          if (t && SCAN_TYPES.has(t)) out.push({ name: path.basename(n), type: t, content: Buffer.from(data) });
        }
      } catch {
        // a .docx or a broken zip: not a scan
      }
      continue;
    }
    const t = sniffType(a.content);
    const declared = /\.pdf$/i.test(name) ? "pdf" : /\.jpe?g$/i.test(name) ? "jpeg" : /\.png$/i.test(name) ? "png" : null;
    if (t) out.push({ name, type: t, content: a.content });
    else if (declared) out.push({ name, type: declared, content: a.content });
  }
  return out;
}

/**
 * Every scanned copy of a corpus folder with its truth: one copy per submission
 * (several in a message are told apart by the names in expected/). The signed
 * date and the copy's knobs come from the corpus's MANIFEST.json, when it
 * has one; without it a copy is scan-only when its truth names no Word file.
 */
export async function corpusCopies(root = corpusDir): Promise<CorpusCopy[]> {
  const manifestFile = path.join(root, "MANIFEST.json");
  const manifest = fs.existsSync(manifestFile)
    ? (JSON.parse(fs.readFileSync(manifestFile, "utf8")) as {
        items: Array<{ id: string; knobs: { projects?: Array<{ wordFormat?: string; amountStyle?: string; scan?: { signedDate?: string; mode?: string } | null }> } }>;
      })
    : { items: [] };
  const ids = fs.readdirSync(path.join(root, "expected")).filter((f) => f.endsWith(".json")).map((f) => f.replace(/\.json$/, "")).sort();
  const copies: CorpusCopy[] = [];
  for (const id of ids) {
    const expected = JSON.parse(fs.readFileSync(path.join(root, "expected", `${id}.json`), "utf8")) as {
      mailboxes: string[];
      submissions: Array<{ word: string | null; scan: string[]; signoff: { signature: boolean | null; seal: boolean | null } | null }>;
    };
    const subs = expected.submissions.filter((s) => s.scan.length);
    if (!subs.length) continue;
    const eml = fs.readFileSync(path.join(root, "mailboxes", expected.mailboxes[0]!, `${id}.eml`));
    const files = await scanAttachments(eml);
    const projects = manifest.items.find((m) => m.id === id)?.knobs.projects;
    subs.forEach((s, i) => {
      const mine = files.filter((f) => s.scan.includes(f.name));
      const knobs = projects?.[i];
      copies.push({
        id: subs.length > 1 ? `${id}#${i + 1}` : id,
        corpus: path.basename(root),
        mode: knobs?.scan?.mode ?? null,
        scanOnly: knobs ? !knobs.wordFormat : !s.word,
        amountStyle: knobs?.amountStyle ?? null,
        // Names that decode differently from the truth's: pair by order when counts match.
        files: mine.length ? mine : files.length === subs.length ? [files[i]!] : files,
        truth: s.signoff,
        signedDate: knobs?.scan?.signedDate ?? null,
      });
    });
  }
  return copies;
}

export interface RealSeal {
  file: string;
  seal: boolean;
  /** Some seal on it is cut by the picture's edge. */
  partial: boolean;
  content: Buffer;
}

/** The labelled real photos and scans of the measurement data, with and without seals. */
export function realSeals(): RealSeal[] {
  const dir = sharedPath("real-seals");
  const labels = JSON.parse(fs.readFileSync(path.join(dir, "labels.json"), "utf8")) as Array<{ file: string; seal: boolean; partial?: boolean }>;
  return labels.map((l) => ({ file: l.file, seal: l.seal, partial: l.partial === true, content: fs.readFileSync(path.join(dir, l.file)) }));
}
