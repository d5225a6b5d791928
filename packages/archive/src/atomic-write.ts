import { randomBytes } from "node:crypto";
import { link, mkdir, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { IntakeError } from "@intake/schema";

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes a unique temp file beside `path` and fsyncs it; returns its name. */
async function writeTemp(path: string, data: Buffer | string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx", 0o640);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  } finally {
    await fh.close().catch(() => undefined);
  }
  return tmp;
}

function ioError(path: string, err: unknown): IntakeError {
  return new IntakeError("ARCHIVE_IO", `archive write of ${path} failed: ${(err as Error).message}`, { cause: err });
}

/**
 * Replaces `path` with `data` so a crash leaves either the old or the new
 * content, never a torn file: temp file, fsync, rename, fsync the folder.
 */
export async function atomicWrite(path: string, data: Buffer | string): Promise<void> {
  try {
    const tmp = await writeTemp(path, data);
    try {
      await rename(tmp, path);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    await fsyncDir(dirname(path));
  } catch (err) {
    throw err instanceof IntakeError ? err : ioError(path, err);
  }
}

/**
 * Like atomicWrite, but only when `path` does not exist yet (across processes:
 * link() fails on an existing name). Returns whether this call created it.
 */
export async function atomicCreate(path: string, data: Buffer | string): Promise<boolean> {
  try {
    const tmp = await writeTemp(path, data);
    let created = true;
    try {
      await link(tmp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      created = false;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    await fsyncDir(dirname(path));
    return created;
  } catch (err) {
    throw err instanceof IntakeError ? err : ioError(path, err);
  }
}
