export * from "./archive.js";
export { atomicCreate, atomicWrite } from "./atomic-write.js";
export { safeSegment, safeRelPath } from "./safe-path.js";
export * from "./archive-stats.js";
