// Locks on the archive's shared indexes, between real processes.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Archive } from "../src/archive.js";
import { cliArgs } from "../../../test/support/paths.js";

const run = promisify(execFile);
const tsx = cliArgs.slice(0, 2);
const writer = join(import.meta.dirname, "lock-writer.ts");

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "archive-locks-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("Archive.withLocks", () => {
  it("keeps every entry when four processes read-modify-write one index at once", async () => {
    await Promise.all(["a", "b", "c", "d"].map((id) => run(process.execPath, [...tsx, writer, root, id, "15"], { timeout: 120_000 })));
    const list = (await new Archive({ root }).readJson<string[]>("index/senders/shared.json"))!;
    expect(list).toHaveLength(60);
    expect(new Set(list).size).toBe(60);
  }, 150_000);

  it("breaks a lock left behind by a process that died", async () => {
    const archive = new Archive({ root });
    const lockDir = join(root, "index/projects/p.json.lock");
    await mkdir(lockDir, { recursive: true });
    const old = new Date(Date.now() - 120_000);
    await utimes(lockDir, old, old);
    const t0 = Date.now();
    await archive.withLocks(["index/projects/p.json"], () => archive.putJson("index/projects/p.json", ["x"]));
    expect(await archive.readJson("index/projects/p.json")).toEqual(["x"]);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it("waits for a live holder instead of breaking its lock", async () => {
    const archive = new Archive({ root });
    const order: string[] = [];
    let release!: () => void;
    const held = archive.withLocks(["index/projects/q.json"], async () => {
      order.push("first in");
      await new Promise<void>((r) => (release = r));
      order.push("first out");
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = archive.withLocks(["index/projects/q.json"], async () => void order.push("second"));
    await new Promise((r) => setTimeout(r, 300));
    release();
    await Promise.all([held, second]);
    expect(order).toEqual(["first in", "first out", "second"]);
  });
});
