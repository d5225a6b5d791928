import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { cliArgs } from "./support/paths.js";
import { describeShared, sharedPath } from "./support/shared.js";

const run = promisify(execFile);
const hostileDir = sharedPath("corpus-hostile");

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else out.push(p);
  }
  return out;
}

/** A 40 MB scanned copy, made here (too big to keep): a PDF padded with an inert stream. */
async function bigAttachmentMessage(path: string): Promise<void> {
  const pad = Buffer.alloc(40 << 20, 0x20);
  const pdf = Buffer.concat([
    Buffer.from("%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[]/Count 0>> endobj\n3 0 obj <</Length " + pad.length + ">> stream\n"),
    pad,
    Buffer.from("\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"),
  ]);
  const b64 = pdf.toString("base64").replace(/.{76}/g, "$&\r\n");
  const eml = [
    "From: 申报人 <apply@cts.example.org>",
    "To: guoyunlong@cast.org.cn",
    "Subject: =?UTF-8?B?" + Buffer.from("项目申报").toString("base64") + "?=",
    "Message-ID: <hd-18-big@cts.example.org>",
    "Date: Mon, 05 Jan 2026 10:00:00 +0800",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "申报材料见附件。",
    "--b",
    'Content-Type: application/pdf; name="scan.pdf"',
    'Content-Disposition: attachment; filename="scan.pdf"',
    "Content-Transfer-Encoding: base64",
    "",
    b64,
    "--b--",
    "",
  ].join("\r\n");
  await writeFile(path, eml);
}

// Every hostile message through `intake parse` in one real process: each gets
// a record, the flag its threat calls for, nothing lands outside the archive,
// and the process stays under the memory bound.
describeShared("hostile messages", ["corpus-hostile"], () => {
  let dir: string;
  let stderr = "";
  const records = new Map<string, any>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "intake-hostile-"));
    await mkdir(join(dir, "in/guoyunlong"), { recursive: true });
    for (const f of (await readdir(hostileDir)).filter((f) => f.endsWith(".eml"))) {
      await writeFile(join(dir, "in/guoyunlong", f), await readFile(join(hostileDir, f)));
    }
    await bigAttachmentMessage(join(dir, "in/guoyunlong/hd-18-big-attachment-40mb.eml"));
    const r = await run(process.execPath, [...cliArgs, "parse", join(dir, "in"), "--out", join(dir, "out"), "--archive", join(dir, "archive"), "--stats", "--ocr-workers", "1"], {
      cwd: dir,
      maxBuffer: 64 << 20,
      timeout: 900_000,
    });
    stderr = r.stderr;
    for (const f of await readdir(join(dir, "out"))) records.set(f.replace(/\.json$/, ""), JSON.parse(await readFile(join(dir, "out", f), "utf8")));
  }, 1_000_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("gives every message a record", async () => {
    const ids = (await readdir(join(dir, "in/guoyunlong"))).map((f) => f.replace(/\.eml$/, ""));
    for (const id of ids) expect(records.has(id), id).toBe(true);
  });

  it("raises the flag each threat calls for", async () => {
    for (const f of await readdir(join(hostileDir, "expected"))) {
      const exp = JSON.parse(await readFile(join(hostileDir, "expected", f), "utf8"));
      if (!exp.flag) continue;
      const rec = records.get(exp.id);
      const codes = [
        ...(rec?.messageFlags ?? []).map((x: { code: string }) => x.code),
        ...(rec?.submissions ?? []).flatMap((s: { flags: string[] }) => s.flags.map((x) => x.split(":")[0])),
      ];
      expect(codes, exp.id).toContain(exp.flag);
    }
  });

  it("still parses the form when only the file name is hostile", () => {
    for (const id of ["hd-13-fn-path-traversal", "hd-14-fn-absolute", "hd-15-fn-nul-crlf", "hd-16-fn-300-chars", "hd-17-fn-windows-reserved", "hd-19-many-attachments", "hd-25-raw-8bit-gbk-headers"]) {
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
    expect(JSON.stringify(records.get("hd-03-docx-xxe"))).not.toContain(root);
  });

  // The process's whole peak, with the OCR engine and every parser loaded
  // (about 300 MB before any input): bombs and 40 MB attachments must not
  // push one intake worker past its 1 GiB budget.
  it("stays within a worker's memory budget", () => {
    const stats = JSON.parse(stderr.match(/stats (\{.*\})/)![1]!);
    console.log(`hostile corpus: ${JSON.stringify(stats)}`);
    expect(stats.peakRssMb).toBeLessThan(1024);
  });
});
