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
}
