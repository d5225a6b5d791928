export * from "./metrics.js";
export * from "./instrument.js";
