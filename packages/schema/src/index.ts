export * from "./decision.js";
export * from "./flags.js";
export * from "./fields.js";
export * from "./result.js";
export * from "./call.js";
export * from "./errors.js";
export * from "./settings.js";
export * from "./address.js";
