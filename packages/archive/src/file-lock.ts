import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import lockfile from "proper-lockfile";
import type { Logger } from "pino";
import { IntakeError } from "@intake/schema";

/** A lock whose holder stopped refreshing it (a dead process, a lost machine) for this long is broken, in ms. */
const STALE_MS = 30_000;
/** How often a holder refreshes its lock's mtime, in ms. */
const UPDATE_MS = 5_000;

/**
 * Runs `fn` holding an exclusive lock on each of `paths` (taken in sorted
 * order, so two holders of overlapping sets cannot deadlock). The locks are
 * `<path>.lock` directories made with mkdir, which is atomic on local disks
 * and on NFS alike, so assemble processes on several machines sharing the
 * archive exclude each other; a lock left by a process that died is broken
 * once it is STALE_MS old (machines' clocks must agree, as NTP keeps them).
 */
export async function withFileLocks<T>(paths: readonly string[], fn: () => Promise<T>, logger?: Logger): Promise<T> {
  const sorted = [...new Set(paths)].sort();
  const releases: Array<() => Promise<void>> = [];
  try {
    for (const p of sorted) {
      await mkdir(dirname(p), { recursive: true });
      try {
        releases.push(
          await lockfile.lock(p, {
            realpath: false,
            stale: STALE_MS,
            update: UPDATE_MS,
            retries: { retries: 200, factor: 1.2, minTimeout: 20, maxTimeout: 500, randomize: true },
            // Losing the lock mid-work (its refresh failed for STALE_MS) is logged; the default would throw from a timer.
            onCompromised: (err) => logger?.error({ err, lock: p }, "archive lock lost while held"),
          }),
        );
      } catch (err) {
        throw new IntakeError("ARCHIVE_IO", `archive lock on ${p} not obtained: ${(err as Error).message}`, { cause: err });
      }
    }
    return await fn();
  } finally {
    for (const release of releases.reverse()) await release().catch(() => undefined);
  }
}
