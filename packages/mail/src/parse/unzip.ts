import { isUtf8 } from "node:buffer";
import iconv from "iconv-lite";
import yauzl from "yauzl";
import type { Entry, ZipFile } from "yauzl";
import type { Flag } from "@intake/schema";
import type { MailLimits } from "./limits.js";

export interface ZipEntryFile {
  /** The entry's name without folders, decoded (UTF-8 when flagged or valid, else GBK). */
  name: string;
  /** The full path inside the archive, decoded; for messages only. */
  path: string;
  content: Buffer;
}

export interface UnzipResult {
  files: ZipEntryFile[];
  flags: Flag[];
}

/** Bytes still allowed to be inflated for the whole message; shared by every archive in it. */
export interface UnpackBudget {
  bytesLeft: number;
}

const INFO_ZIP_UNICODE_PATH = 0x7075;
const BIG_ENTRY = 1024 * 1024;

/**
 * Lists a zip's central directory and judges it before inflating anything:
 * too many entries, a declared size or compression ratio over the limits →
 * suspicious-attachment. Returns null when the archive passes.
 */
export async function inspectZip(buf: Buffer, file: string, limits: MailLimits): Promise<Flag | null> {
  let zip: ZipFile;
  try {
    zip = await open(buf);
  } catch (err) {
    return { code: "unreadable-attachment", file, reason: "archive-damaged", detail: `damaged archive: ${(err as Error).message.slice(0, 120)}` };
  }
  try {
    if (zip.entryCount > limits.maxArchiveEntries) {
      return { code: "suspicious-attachment", file, reason: "archive-bomb", detail: `archive with ${zip.entryCount} entries (limit ${limits.maxArchiveEntries})` };
    }
    let total = 0;
    for await (const e of entries(zip)) {
      total += e.uncompressedSize;
      const bomb = bombReason(e, total, limits);
      if (bomb) return { code: "suspicious-attachment", file, reason: "archive-bomb", detail: bomb };
    }
    return null;
  } catch (err) {
    return { code: "unreadable-attachment", file, reason: "archive-damaged", detail: `damaged archive: ${(err as Error).message.slice(0, 120)}` };
  } finally {
    zip.close();
  }
}

/** Extracts a zip in memory within the limits; what cannot be extracted safely becomes a flag. */
export async function unzip(buf: Buffer, file: string, limits: MailLimits, budget: UnpackBudget): Promise<UnzipResult> {
  const flags: Flag[] = [];
  const files: ZipEntryFile[] = [];
  const refusal = await inspectZip(buf, file, limits);
  if (refusal) return { files, flags: [refusal] };
  const zip = await open(buf);
  try {
    for await (const e of entries(zip)) {
      const path = entryName(e);
      if (path.endsWith("/") || path.endsWith("\\")) continue;
      const name = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
      if (isSystemLitter(path, name)) continue;
      if (e.isEncrypted()) {
        flags.push({ code: "unreadable-attachment", file, reason: "archive-encrypted", detail: `${name} in the archive is password-protected` });
        continue;
      }
      const cap = Math.min(limits.maxAttachmentBytes, budget.bytesLeft);
      if (e.uncompressedSize > cap) {
        flags.push({ code: "suspicious-attachment", file, reason: "archive-bomb", detail: `${name} would unpack to ${e.uncompressedSize} bytes (limit ${cap})` });
        break;
      }
      try {
        const content = await readEntry(zip, e, cap);
        budget.bytesLeft -= content.length;
        files.push({ name, path, content });
      } catch (err) {
        flags.push({ code: "unreadable-attachment", file, reason: "archive-damaged", detail: `${name} in the archive cannot be read: ${(err as Error).message.slice(0, 120)}` });
      }
    }
  } catch (err) {
    flags.push({ code: "unreadable-attachment", file, reason: "archive-damaged", detail: `damaged archive: ${(err as Error).message.slice(0, 120)}` });
  } finally {
    zip.close();
  }
  return { files, flags };
}

/**
 * Files an archiver or an editor adds without the sender meaning to: macOS
 * resource forks (__MACOSX/, "._x.docx"), Finder and Explorer metadata, Word
 * lock files ("~$x.docx"). Taken as attachments they would look like broken forms.
 */
function isSystemLitter(path: string, name: string): boolean {
  return (
    /(^|[/\\])__MACOSX[/\\]/.test(path) ||
    name.startsWith("._") ||
    name.startsWith("~$") ||
    [".ds_store", "thumbs.db", "desktop.ini"].includes(name.toLowerCase())
  );
}

function bombReason(e: Entry, total: number, limits: MailLimits): string | null {
  if (e.uncompressedSize > limits.maxAttachmentBytes) return `an entry declares ${e.uncompressedSize} bytes unpacked (limit ${limits.maxAttachmentBytes})`;
  if (total > limits.maxUnpackedBytes) return `entries declare ${total} bytes unpacked (limit ${limits.maxUnpackedBytes})`;
  if (e.uncompressedSize > BIG_ENTRY && e.uncompressedSize / Math.max(1, e.compressedSize) > limits.maxCompressionRatio) {
    return `an entry is compressed ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))}:1 (limit ${limits.maxCompressionRatio}:1)`;
  }
  return null;
}

function open(buf: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings off: yauzl would reject the whole archive over one odd name, and would read GBK names as CP437.
    yauzl.fromBuffer(buf, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) reject(err ?? new Error("no archive"));
      else resolve(zip);
    });
  });
}

async function* entries(zip: ZipFile): AsyncGenerator<Entry> {
  for (;;) {
    const next = await new Promise<Entry | null>((resolve, reject) => {
      const onEntry = (e: Entry): void => {
        cleanup();
        resolve(e);
      };
      const onEnd = (): void => {
        cleanup();
        resolve(null);
      };
      const onError = (err: Error): void => {
        cleanup();
        reject(err);
      };
      const cleanup = (): void => {
        zip.off("entry", onEntry);
        zip.off("end", onEnd);
        zip.off("error", onError);
      };
      zip.on("entry", onEntry);
      zip.on("end", onEnd);
      zip.on("error", onError);
      zip.readEntry();
    });
    if (!next) return;
    yield next;
  }
}

function readEntry(zip: ZipFile, e: Entry, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(e, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error("no stream"));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("data", (c: Buffer) => {
        size += c.length;
        if (size > cap) {
          stream.destroy(new Error(`unpacks to more than ${cap} bytes`));
          return;
        }
        chunks.push(c);
      });
      stream.on("error", reject);
      stream.on("end", () => resolve(Buffer.concat(chunks)));
    });
  });
}

/** The entry's path: UTF-8 when flagged or given in the Info-ZIP Unicode field, else UTF-8 if valid, else GBK. */
function entryName(e: Entry): string {
  const raw = rawName(e);
  if (e.generalPurposeBitFlag & 0x800) return raw.toString("utf8");
  for (const x of e.extraFields ?? []) {
    if (x.id === INFO_ZIP_UNICODE_PATH && x.data.length > 5 && x.data[0] === 1) return x.data.subarray(5).toString("utf8");
  }
  return isUtf8(raw) ? raw.toString("utf8") : iconv.decode(raw, "gb18030");
}

function rawName(e: Entry): Buffer {
  const n = (e as unknown as { fileName: string | Buffer }).fileName;
  return Buffer.isBuffer(n) ? n : Buffer.from(n, "latin1");
}
