import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bigAttachment, hostileEmails } from "./support/hostile.js";
import { cliArgs } from "./support/paths.js";
import { describeShared, sharedPath } from "./support/shared.js";

const run = promisify(execFile);

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

interface HostileSet {
  /** Each email by id. */
  emails: Map<string, Buffer>;
  /** The flag each threat calls for, by id (threats about behaviour have none). */
  flags: Map<string, string>;
  /** Emails whose Word form must still be read: only a name or a header in them is hostile. */
  formStillRead: string[];
  /** The email whose form reads /etc/passwd through an XML entity. */
  xxe: string;
}

// Every hostile message of a set through `intake parse` in one real process:
// each gets a record, the flag its threat calls for, nothing lands outside the
// archive, and the process stays under the memory bound.
function hostileSuite(load: () => Promise<HostileSet>): void {
  let dir: string;
  let stderr = "";
  let set: HostileSet;
  const records = new Map<string, any>();

  beforeAll(async () => {
    set = await load();
    dir = await mkdtemp(join(tmpdir(), "intake-hostile-"));
    await mkdir(join(dir, "in/guoyunlong"), { recursive: true });
    for (const [id, eml] of set.emails) await writeFile(join(dir, "in/guoyunlong", `${id}.eml`), eml);
    set.emails.clear();
    const r = await run(process.execPath, [...cliArgs, "parse", join(dir, "in"), "--out", join(dir, "out"), "--archive", join(dir, "archive"), "--stats", "--ocr-workers", "1"], {
      cwd: dir,
      maxBuffer: 64 << 20,
      timeout: 900_000,
    });
    stderr = r.stderr;
    for (const f of await readdir(join(dir, "out"))) records.set(f.replace(/\.json$/, ""), JSON.parse(await readFile(join(dir, "out", f), "utf8")));
  }, 1_000_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("gives every message a record", async () => {
    const ids = (await readdir(join(dir, "in/guoyunlong"))).map((f) => f.replace(/\.eml$/, ""));
    for (const id of ids) expect(records.has(id), id).toBe(true);
  });

  it("raises the flag each threat calls for", () => {
    expect(set.flags.size).toBeGreaterThan(5);
    for (const [id, flag] of set.flags) {
      const rec = records.get(id);
      const codes = [
        ...(rec?.messageFlags ?? []).map((x: { code: string }) => x.code),
        ...(rec?.submissions ?? []).flatMap((s: { flags: string[] }) => s.flags.map((x) => x.split(":")[0])),
      ];
      expect(codes, id).toContain(flag);
    }
  });

  it("still parses the form when only the file name is hostile", () => {
    for (const id of set.formStillRead) {
      const sub = records.get(id)?.submissions?.[0];
      expect(sub?.fields?.["cover.applicantUnit"], id).toBeTruthy();
    }
  });

  it("writes nothing outside the archive and output folders", async () => {
    const files = (await walk(dir)).map((p) => relative(dir, p));
    const stray = files.filter((p) => !p.startsWith("in/") && !p.startsWith("out/") && !p.startsWith("archive/"));
    expect(stray).toEqual([]);
    for (const p of files.filter((p) => p.startsWith("archive/messages/"))) {
      expect(p.split("/").every((seg) => seg !== ".." && !/[\x00-\x1f]/.test(seg))).toBe(true);
    }
    await expect(stat("/tmp/x.docx")).rejects.toThrow();
  });

  it("never leaks /etc/passwd through an XML entity", async () => {
    const passwd = await readFile("/etc/passwd", "utf8");
    const root = passwd.split("\n").find((l) => l.startsWith("root:"))!;
    expect(records.get(set.xxe)).toBeDefined();
    expect(JSON.stringify(records.get(set.xxe))).not.toContain(root);
  });

  // The process's whole peak, with the OCR engine and every parser loaded
  // (about 300 MB before any input): bombs and 40 MB attachments must not
  // push one intake worker past its 1 GiB budget.
  it("stays within a worker's memory budget", () => {
    const stats = JSON.parse(stderr.match(/stats (\{.*\})/)![1]!);
    console.log(`hostile messages: ${JSON.stringify(stats)}`);
    expect(stats.peakRssMb).toBeLessThan(1024);
  });
}

describe("hostile messages built here", () => {
  hostileSuite(async () => {
    const built = await hostileEmails();
    return {
      emails: new Map(built.map((h) => [h.id, h.eml])),
      flags: new Map(built.filter((h) => h.flag).map((h) => [h.id, h.flag!])),
      formStillRead: built.filter((h) => /^(fn-|header-|many-|mime-|raw-|reply-)/.test(h.id)).map((h) => h.id),
      xxe: "docx-xxe",
    };
  });
});

describeShared("hostile messages of the measurement set", ["corpus-hostile"], () => {
  hostileSuite(async () => {
    const dir = sharedPath("corpus-hostile");
    const emails = new Map<string, Buffer>();
    for (const f of (await readdir(dir)).filter((f) => f.endsWith(".eml"))) emails.set(f.replace(/\.eml$/, ""), await readFile(join(dir, f)));
    // Too big to keep in the set: built here.
    emails.set("hd-18-big-attachment-40mb", bigAttachment().eml);
    const flags = new Map<string, string>();
    for (const f of await readdir(join(dir, "expected"))) {
      const exp = JSON.parse(await readFile(join(dir, "expected", f), "utf8"));
      if (exp.flag) flags.set(exp.id, exp.flag);
    }
    return {
      emails,
      flags,
      formStillRead: ["hd-13-fn-path-traversal", "hd-14-fn-absolute", "hd-15-fn-nul-crlf", "hd-16-fn-300-chars", "hd-17-fn-windows-reserved", "hd-19-many-attachments", "hd-25-raw-8bit-gbk-headers"],
      xxe: "hd-03-docx-xxe",
    };
  });
});
