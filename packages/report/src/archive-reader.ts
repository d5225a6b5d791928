/**
 * What the report needs from the archive: the pipeline's `Archive` satisfies it,
 * so this package stays independent of the pipeline.
 */
export interface ArchiveReader {
  /** Keys of every archived message. */
  listMessages(): Promise<string[]>;
  /** The message's record, or undefined when it has none yet. */
  readRecord(key: string): Promise<unknown>;
  /** An archive-relative file; must refuse paths that leave the archive. */
  readFile(relPath: string): Promise<Buffer>;
  /** Changes whenever the message's record file does (e.g. inode, time and size); null when it has none. Lets a reload skip what it read before. */
  recordStamp?(key: string): Promise<string | null>;
  /** The first `maxBytes` of a file (for headers of large emails); default: the whole file, cut. */
  readHead?(relPath: string, maxBytes: number): Promise<Buffer>;
}

/** The first bytes of an archived file, through `readHead` when the archive has it. */
export async function readHead(archive: ArchiveReader, relPath: string, maxBytes: number): Promise<Buffer> {
  if (archive.readHead) return archive.readHead(relPath, maxBytes);
  return (await archive.readFile(relPath)).subarray(0, maxBytes);
}
