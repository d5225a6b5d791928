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

describe("OCR without a network", () => {
  it("starts and reads a page with networking unavailable", async () => {
    const img = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "scan-offline-")), "page.jpg");
    fs.writeFileSync(img, await firstPageJpeg());
    const tsx = path.join(repoRoot, "node_modules/.bin/tsx");
    const script = path.join(here, "fixtures/ocr-one-page.ts");
    // A fresh network namespace has only a downed loopback: any fetch or DNS lookup fails.
    const probe = spawnSync("unshare", ["-n", "true"]);
    const cmd = probe.status === 0 ? ["unshare", ["-n", tsx, script, img]] as const : [tsx, [script, img]] as const;
    const env = probe.status === 0 ? process.env : { ...process.env, NODE_OPTIONS: `--import ${path.join(here, "fixtures/no-network.mjs")}` };
    const r = spawnSync(cmd[0], [...cmd[1]], { cwd: repoRoot, env, encoding: "utf8", timeout: 280_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { text: string };
    expect(out.text.replace(/\s+/g, "")).toMatch(/申报书|科协/);
  }, 300_000);
});
