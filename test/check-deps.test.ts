// scripts/check-deps.mjs on small workspaces made here: the reviewers' web
// view may use the scan package's types and its page listing, never its OCR.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { repoRoot } from "./support/paths.js";

const run = promisify(execFile);
const script = join(repoRoot, "scripts/check-deps.mjs");
let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

/** A workspace of a scan package, a view package and the report service; `files` adds or overrides sources. */
function workspace(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), "check-deps-"));
  const pkg = (name: string, deps: string[], exports?: object) =>
    JSON.stringify({ name, exports, dependencies: Object.fromEntries(deps.map((d) => [d, "workspace:*"])) });
  const all: Record<string, string> = {
    "packages/scan/package.json": pkg("@intake/scan", [], { ".": "./src/index.ts", "./pages": "./src/pages.ts" }),
    "packages/scan/src/index.ts": 'import { createWorker } from "tesseract.js";\nexport const ocr = createWorker;\n',
    "packages/scan/src/pages.ts": "export const listPages = () => [];\n",
    "packages/view/package.json": pkg("@intake/view", ["@intake/scan"], { ".": "./src/index.ts" }),
    "packages/view/src/index.ts": 'import type { ocr } from "@intake/scan";\nimport { listPages } from "@intake/scan/pages";\nexport const view = (o: typeof ocr) => [o, listPages()];\n',
    "services/report/package.json": pkg("@intake/report-service", ["@intake/view", "@intake/scan"]),
    "services/report/src/main.ts": 'import { view } from "@intake/view";\nimport { draw } from "./draw.js";\nexport const main = [view, draw];\n',
    "services/report/src/draw.ts": "export const draw = 1;\n",
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function check(root: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [script, root]);
    return { code: 0, out: stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe("check:deps, the report service and OCR", () => {
  it("passes a view that takes only the scan package's types and page listing", async () => {
    const r = await check(workspace({}));
    expect(r.out).toContain("package graph ok");
    expect(r.code).toBe(0);
  });

  it("fails when a package the view uses loads the scan package, even lazily, and names the chain", async () => {
    // The scan package's main entry is OCR in itself, whatever it loads at once.
    const r = await check(workspace({
      "packages/scan/src/index.ts": "export const inspectScan = 1;\n",
      "packages/view/src/index.ts": 'export const view = () => import("@intake/scan");\n',
    }));
    expect(r.code).toBe(1);
    expect(r.out).toContain("the report service loads OCR code: services/report/src/main.ts -> packages/view/src/index.ts -> packages/scan/src/index.ts");
  });

  it("fails when a file of the service reaches an OCR engine directly", async () => {
    const r = await check(workspace({ "services/report/src/draw.ts": 'import "onnxruntime-node";\nexport const draw = 1;\n' }));
    expect(r.code).toBe(1);
    expect(r.out).toContain("services/report/src/draw.ts -> onnxruntime-node");
  });
});
