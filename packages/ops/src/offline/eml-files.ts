import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface EmlFile {
  path: string;
  /** The mailbox it stands for: its folder's name. */
  mailbox: string;
  /** Output name: the file name without .eml. */
  id: string;
}

/** The .eml files named, or found recursively in the folders named, in a stable order. */
export async function findEmlFiles(paths: readonly string[]): Promise<EmlFile[]> {
  const out: EmlFile[] = [];
  async function walk(p: string): Promise<void> {
    const st = await stat(p);
    if (st.isDirectory()) {
      for (const e of (await readdir(p)).sort()) await walk(join(p, e));
    } else if (p.toLowerCase().endsWith(".eml")) {
      out.push({ path: p, mailbox: basename(dirname(p)), id: basename(p).replace(/\.eml$/i, "") });
    }
  }
  for (const p of paths) await walk(p);
  return out;
}
