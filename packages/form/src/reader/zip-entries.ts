import { IntakeError } from "@intake/schema";
import yauzl from "yauzl";
import type { WordLimits } from "../types.js";

export interface ZipContents {
  /** Every entry name of the central directory. */
  names: string[];
  /** The wanted entries, inflated. */
  entries: Map<string, Buffer>;
}

/**
 * Reads the wanted entries of a ZIP held in memory. The central directory is
 * checked before anything is inflated (entry count, declared sizes, ratio),
 * and inflation is streamed against a byte cap, because declared sizes lie.
 */
export function readZipEntries(
  content: Buffer,
  wanted: (name: string) => boolean,
  limits: WordLimits,
): Promise<ZipContents> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(content, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) return reject(new IntakeError("ATTACHMENT_UNREADABLE", "not a readable ZIP", { cause: err, reason: "damaged" }));
      if (zip.entryCount > limits.maxEntries) {
        zip.close();
        return reject(new IntakeError("ATTACHMENT_SUSPICIOUS", `ZIP has ${zip.entryCount} entries (cap ${limits.maxEntries})`, { reason: "archive-bomb" }));
      }
      const names: string[] = [];
      const entries = new Map<string, Buffer>();
      let budget = limits.maxUncompressedBytes;
      let settled = false;
      const fail = (e: IntakeError) => {
        if (settled) return;
        settled = true;
        zip.close();
        reject(e);
      };
      zip.on("error", (e: Error) => fail(new IntakeError("ATTACHMENT_UNREADABLE", "ZIP is corrupt", { cause: e, reason: "damaged" })));
      zip.on("end", () => {
        if (settled) return;
        settled = true;
        resolve({ names, entries });
      });
      zip.on("entry", (entry: yauzl.Entry) => {
        if (settled) return;
        names.push(entry.fileName);
        if (!wanted(entry.fileName) || entry.fileName.endsWith("/")) return zip.readEntry();
        const declared = entry.uncompressedSize;
        if (declared > budget) {
          return fail(new IntakeError("ATTACHMENT_SUSPICIOUS", `${entry.fileName} declares ${declared} bytes uncompressed (cap ${limits.maxUncompressedBytes})`, { reason: "archive-bomb" }));
        }
        if (entry.compressedSize > 0 && declared / entry.compressedSize > limits.maxRatio) {
          return fail(new IntakeError("ATTACHMENT_SUSPICIOUS", `${entry.fileName} has compression ratio ${Math.round(declared / entry.compressedSize)} (cap ${limits.maxRatio})`, { reason: "archive-bomb" }));
        }
        zip.openReadStream(entry, (e2, stream) => {
          if (e2 || !stream) return fail(new IntakeError("ATTACHMENT_UNREADABLE", `cannot inflate ${entry.fileName}`, { cause: e2, reason: "damaged" }));
          const chunks: Buffer[] = [];
          let got = 0;
          stream.on("data", (c: Buffer) => {
            got += c.length;
            if (got > budget) {
              stream.destroy();
              fail(new IntakeError("ATTACHMENT_SUSPICIOUS", `${entry.fileName} inflates past the cap of ${limits.maxUncompressedBytes} bytes`, { reason: "archive-bomb" }));
              return;
            }
            chunks.push(c);
          });
          stream.on("error", (e3: Error) => fail(new IntakeError("ATTACHMENT_UNREADABLE", `cannot inflate ${entry.fileName}`, { cause: e3, reason: "damaged" })));
          stream.on("end", () => {
            if (settled) return;
            budget -= got;
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
