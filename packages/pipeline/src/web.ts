// What the reviewers' web view takes from the pipeline: the archive, the
// queues (for the dashboard and corrected receipts), the logger. Nothing here
// loads the steps, so the web view never loads OCR code (scripts/check-deps.mjs checks).
export * from "./archive/archive.js";
export * from "./jobs/catalog.js";
export * from "./jobs/connection.js";
export * from "./jobs/queues.js";
export * from "./logger.js";
export * from "./metrics/dashboard.js";
