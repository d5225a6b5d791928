export type { ScanFileType, ScanFile, ScanDecision, UnreadPage, ScanResult, ScanLimits, InspectOptions } from "./types.js";
export { DEFAULT_LIMITS } from "./types.js";
export type { OcrPool, OcrPoolOptions, OcrRequest, OcrRectangle, OcrWord } from "./ocr-pool.js";
export { createOcrPool, defaultLangPath } from "./ocr-pool.js";
export { inspectScan } from "./inspect.js";
export { probePpOcr, PPOCR_FILES, type PpOcrProbe } from "./ppocr.js";
export { sniffType } from "./sniff.js";
export { findSeals, type SealCandidate } from "./seal.js";
export { searchSeals } from "./seal-search.js";
