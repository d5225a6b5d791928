// What the quick ops commands (`intake status`) take from the pipeline: the
// archive, its counts, the queues' producers and the health files. Nothing
// here loads the steps, OCR or the metrics, so a status answers in well under
// a second of start-up (the package's index loads all of them).
export * from "./archive/archive.js";
export { safeSegment } from "./archive/safe-path.js";
export { hasCountsSnapshot } from "./archive/counts-ledger.js";
export { recountArchive } from "./archive/counts-recount.js";
export * from "./metrics/archive-counts.js";
export * from "./jobs/catalog.js";
export * from "./jobs/connection.js";
export * from "./jobs/queues.js";
export * from "./health/health-files.js";
