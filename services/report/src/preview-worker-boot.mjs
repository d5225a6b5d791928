// A worker thread starts as plain Node: teach it TypeScript (tsx), then load the worker.
import { register } from "tsx/esm/api";

register();
await import("./preview-worker.ts");
