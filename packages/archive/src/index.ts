export * from "./archive.js";
export { atomicCreate, atomicWrite } from "./atomic-write.js";
export { safeSegment, safeRelPath } from "./safe-path.js";
export * from "./archive-stats.js";
export * from "./archive-counts.js";
export { recountArchive } from "./counts-recount.js";
export { hasCountsSnapshot } from "./counts-ledger.js";
