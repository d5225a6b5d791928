// `intake parse`'s run over .eml files. An entry of its own, since it loads
// the pipeline's steps (and so the OCR code) that doctor and status never need.
export * from "./parse-files.js";
export * from "./eml-files.js";
export * from "./tree-memory.js";
