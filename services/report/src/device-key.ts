import { randomBytes } from "node:crypto";
import { mkdir, open, readFile } from "node:fs/promises";
import { join } from "node:path";

/** The key that signs device cookies, made once and kept in the archive (0600), so a restart does not forget known browsers. */
export async function deviceKey(archiveRoot: string): Promise<Buffer> {
  const dir = join(archiveRoot, "accounts");
  const path = join(dir, ".device-key");
  try {
    const k = await readFile(path);
    if (k.length >= 32) return k.subarray(0, 32);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  await mkdir(dir, { recursive: true });
  const key = randomBytes(32);
  try {
    // "wx": two processes starting at once keep the first one's key.
    const fh = await open(path, "wx", 0o600);
    await fh.writeFile(key);
    await fh.sync();
    await fh.close();
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return (await readFile(path)).subarray(0, 32);
    throw err;
  }
}
