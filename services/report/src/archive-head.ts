import { open, realpath } from "node:fs/promises";
import { relative, resolve, sep } from "node:path";
import { isSafeRelPath, type ArchiveReader } from "@intake/report";

/**
 * The archive with `readHead`: the first bytes of a file, so listing an email
 * still in the pipeline reads its headers, not all of its 100 MB.
 */
export function archiveWithHead<A extends ArchiveReader>(archive: A, root: string): A & Required<Pick<ArchiveReader, "readHead">> {
  const readHead = async (relPath: string, maxBytes: number): Promise<Buffer> => {
    if (!isSafeRelPath(relPath)) throw new Error(`path refused: ${relPath}`);
    const rootReal = await realpath(root);
    const real = await realpath(resolve(root, relPath));
    const rel = relative(rootReal, real);
    if (rel.startsWith("..") || rel.startsWith(sep)) throw new Error(`path leaves the archive: ${relPath}`);
    const fh = await open(real, "r");
    try {
      const buf = Buffer.alloc(maxBytes);
      const { bytesRead } = await fh.read(buf, 0, maxBytes, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  };
  return Object.assign(Object.create(archive) as A, { readHead });
}
