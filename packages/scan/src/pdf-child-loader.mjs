// Module hooks for the PDF process: our TypeScript sources are transpiled with
// esbuild as they load, and nothing else is touched. tsx (which the rest of the
// project runs under) also rewrites every JavaScript module it loads, and on
// pdf.js's 2 MB builds that costs some 450 MB of memory, most of the PDF
// process's cap; here pdf.js loads as plain JavaScript.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

/** Our sources import each other as ".js", as compiled code would; the file is the ".ts" beside it. */
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    if (/^\.{1,2}\//.test(specifier) && specifier.endsWith(".js")) return next(`${specifier.slice(0, -3)}.ts`, context);
    throw err;
  }
}

export async function load(url, context, next) {
  if (url.startsWith("file:") && url.endsWith(".ts") && !url.includes("/node_modules/")) {
    const source = await readFile(fileURLToPath(url), "utf8");
    const { code } = await transform(source, { loader: "ts", format: "esm", target: "node20", sourcefile: fileURLToPath(url) });
    return { format: "module", source: code, shortCircuit: true };
  }
  return next(url, context);
}
