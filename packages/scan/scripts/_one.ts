import fs from "node:fs";
import { decodeRaster } from "/work/h-seal2/packages/scan/src/raster.js";
import { searchSeals } from "/work/h-seal2/packages/scan/src/seal-search.js";
const r = await decodeRaster(fs.readFileSync(process.argv[2]!), { maxPixels: 1e8 });
const t = process.cpuUsage();
const f = await searchSeals(r, { rings: true });
console.log(r.width, r.height, Math.round(process.cpuUsage(t).user / 1000) + "ms", JSON.stringify(f.slice(0, 4).map((c) => ({ ...c, box: [c.box.x0, c.box.y0, c.box.x1, c.box.y1].map(Math.round) }))));
