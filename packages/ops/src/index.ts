// What operators run beside the daemon: its health files and endpoint,
// `doctor`, `status` and the targets and runs of `replay`. The service
// parses arguments, calls these and prints what they return.
export * from "./context.js";
export * from "./doctor-checks.js";
export * from "./doctor.js";
export * from "./find-message.js";
export * from "./http-server.js";
export * from "./readiness.js";
export * from "./redis-probe.js";
export * from "./replay-runner.js";
export * from "./replay-targets.js";
export * from "./status-report.js";
export * from "./status-text.js";
export * from "./health/health-files.js";
export * from "./health/daemon-health.js";
