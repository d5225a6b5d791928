import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PDFDocument, PDFName, PDFRawStream } from "pdf-lib";
import { corpusCopies, samplesDir } from "../scripts/corpus-scans.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../..");

/** The first page image of a sample scan, as the scanner stored it. */
async function firstPageJpeg(): Promise<Buffer> {
  const copy = (await corpusCopies(samplesDir)).find((c) => c.files[0]?.type === "pdf")!;
  const doc = await PDFDocument.load(copy.files[0]!.content);
  const xo = doc.getPages()[0]!.node.Resources()!.lookup(PDFName.of("XObject"));
  for (const [, ref] of (xo as any).entries()) {
    const s = doc.context.lookup(ref);
    if (s instanceof PDFRawStream) return Buffer.from(s.contents);
  }
  throw new Error("no page image");
}

/** Runs a fixture script in a child process without a network (a fresh network namespace, else every socket refused). */
function offline(script: string, args: string[]) {
  const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
  const probe = spawnSync("unshare", ["-n", "true"]);
  const file = path.join(here, "fixtures", script);
  const cmd = probe.status === 0 ? (["unshare", ["-n", tsx, file, ...args]] as const) : ([tsx, [file, ...args]] as const);
  const env = probe.status === 0 ? process.env : { ...process.env, NODE_OPTIONS: `--import ${path.join(here, "fixtures/no-network.mjs")}` };
  // A guard against a hang, not a speed test: a form read in full takes minutes on a busy machine.
  return spawnSync(cmd[0], [...cmd[1]], { cwd: repoRoot, env, encoding: "utf8", timeout: 870_000 });
}

describe("OCR without a network", () => {
  it("starts and reads a page with networking unavailable", async () => {
    const img = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "scan-offline-")), "page.jpg");
    fs.writeFileSync(img, await firstPageJpeg());
    // A fresh network namespace has only a downed loopback: any fetch or DNS lookup fails.
    const r = offline("ocr-one-page.ts", [img]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { text: string };
    expect(out.text.replace(/\s+/g, "")).toMatch(/申报书|科协/);
  }, 900_000);

  it("reads a scan-only form (both engines, every page; PP-OCR from the installed package) with networking unavailable", async () => {
    const copy = (await corpusCopies(samplesDir)).find((c) => c.scanOnly)!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scan-offline-form-"));
    const files = copy.files.map((f, i) => {
      const p = path.join(dir, `${i}-${f.type}`);
      fs.writeFileSync(p, f.content);
      return p;
    });
    const r = offline("read-form-offline.ts", files);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { pagesRead: number; blanks: { label: string; answer: string }[]; cells: string[]; confidences: number[]; modelDir: string; regionsMs: number };
    expect(out.pagesRead).toBeGreaterThan(2);
    // Read by PP-OCR, its models from the installed npm package.
    expect(out.regionsMs).toBeGreaterThan(0);
    expect(out.modelDir.startsWith(path.join(repoRoot, "node_modules"))).toBe(true);
    expect(out.confidences.length).toBeGreaterThan(10);
    expect(out.confidences.every((c) => c >= 0 && c <= 1)).toBe(true);
    // The cover's blanks with their labels and answers, and the tables' cells.
    expect(out.blanks.find((b) => b.label.includes("申报单位"))?.answer).toMatch(/\S{4,}/);
    expect(out.cells).toContain("单位名称");
  }, 900_000);
});
