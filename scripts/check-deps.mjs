// Fails when the workspace's package graph breaks the architecture:
// an import cycle between packages, a package importing a service,
// `schema` depending on another package of ours, or an import of a
// workspace package that the importer's package.json does not declare, or
// the reviewers' web view (services/report) reaching OCR code at run time.
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";

// The workspace to check: this repository, or the folder given (for the check's own test).
const root = process.argv[2] ? `${resolve(process.argv[2])}/` : new URL("..", import.meta.url).pathname;
const units = [];
for (const group of ["packages", "services"]) {
  for (const dir of readdirSync(join(root, group))) {
    const pj = join(root, group, dir, "package.json");
    if (!existsSync(pj)) continue;
    units.push({ group, dir: join(root, group, dir), name: JSON.parse(readFileSync(pj, "utf8")).name, pkg: JSON.parse(readFileSync(pj, "utf8")) });
  }
}
const byName = new Map(units.map((u) => [u.name, u]));
const importRe = /(?:from\s+|import\s*\(\s*|import\s+)["'](@intake\/[a-z-]+)/g;

function* files(dir) {
  for (const e of readdirSync(dir)) {
    if (e === "node_modules") continue;
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|mts|js|mjs)$/.test(e)) yield p;
  }
}

const errors = [];
const graph = new Map();
for (const u of units) {
  const deps = new Set();
  const src = join(u.dir, "src");
  if (existsSync(src)) {
    for (const f of files(src)) {
      for (const m of readFileSync(f, "utf8").matchAll(importRe)) {
        const target = m[1];
        if (target === u.name) continue;
        deps.add(target);
        const t = byName.get(target);
        if (!t) errors.push(`${f}: imports unknown workspace package ${target}`);
        else if (u.group === "packages" && t.group === "services") errors.push(`${f}: a package imports a service (${target})`);
        const declared = { ...u.pkg.dependencies, ...u.pkg.devDependencies };
        if (!declared[target]) errors.push(`${f}: imports ${target}, not declared in ${u.name}'s package.json`);
      }
    }
  }
  if (u.name === "@intake/schema" && deps.size) errors.push(`@intake/schema must depend on no package of ours, imports ${[...deps].join(", ")}`);
  graph.set(u.name, deps);
}

const state = new Map();
function visit(n, path) {
  if (state.get(n) === "done") return;
  if (state.get(n) === "active") { errors.push(`import cycle: ${[...path.slice(path.indexOf(n)), n].join(" -> ")}`); return; }
  state.set(n, "active");
  for (const d of graph.get(n) ?? []) visit(d, [...path, n]);
  state.set(n, "done");
}
for (const n of graph.keys()) visit(n, []);

// The reviewers' web view must never load OCR: follow its runtime imports file
// by file (type-only imports are erased) through workspace packages' exports.
// OCR is the OCR engines and their models, and @intake/scan's main entry (the
// OCR pool and the scan inspection); its `pages` entry (page listing for the
// page images) is allowed, and is followed like any other file.
const OCR_PACKAGES = /^(tesseract\.js|@tesseract\.js-data\/|onnxruntime-|@gutenye\/ocr-)/;
const OCR_ENTRIES = new Set(["@intake/scan"].map((n) => resolveImport(root, n)));
const runtimeImportRe = /^\s*(?:import|export)\s+(?!type\b)(?:[^'"]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;
function resolveImport(from, spec) {
  if (spec.startsWith(".")) {
    const base = join(from, "..", spec);
    for (const c of [base.replace(/\.js$/, ".ts"), base, `${base}.ts`, join(base, "index.ts")]) if (existsSync(c) && statSync(c).isFile()) return c;
    return null;
  }
  const m = /^(@intake\/[a-z-]+)(\/.*)?$/.exec(spec);
  if (!m) return spec;
  const u = byName.get(m[1]);
  const target = u?.pkg.exports?.[`.${m[2] ?? ""}`];
  return u && typeof target === "string" ? join(u.dir, target) : null;
}
const isOcr = (r) => OCR_ENTRIES.has(r) || OCR_PACKAGES.test(r);
/** The import chain from `entry` to the first OCR module it loads, or null. */
function ocrChain(entry) {
  const seen = new Set();
  const stack = [[entry, [entry]]];
  while (stack.length) {
    const [f, path] = stack.pop();
    if (seen.has(f)) continue;
    seen.add(f);
    if (!existsSync(f)) continue;
    for (const m of readFileSync(f, "utf8").matchAll(runtimeImportRe)) {
      const spec = m[1] ?? m[2];
      const r = resolveImport(f, spec);
      if (!r) continue;
      if (isOcr(r)) return [...path, r];
      if (r.startsWith("/") && !seen.has(r)) stack.push([r, [...path, r]]);
    }
  }
  return null;
}
const reportService = byName.get("@intake/report-service");
if (!reportService) errors.push("the report service (@intake/report-service) is missing");
else {
  const reportSrc = join(reportService.dir, "src");
  for (const f of files(reportSrc)) {
    const chain = ocrChain(f);
    if (chain) { errors.push(`the report service loads OCR code: ${chain.map((p) => p.replace(root, "")).join(" -> ")}`); break; }
  }
}

if (errors.length) { console.error(errors.join("\n")); process.exit(1); }
console.log(`package graph ok: ${units.length} units, no cycles`);
