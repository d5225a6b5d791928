#!/usr/bin/env node
// The reviewers' web view as a process: reads its config from the environment
// (see config.ts), serves the archive read-only until SIGINT/SIGTERM.
import { Archive, createLogger } from "@intake/pipeline";
import { loadCall } from "@intake/schema";
import { loadReportConfig } from "./config.js";
import { buildReportServer } from "./server.js";

async function main(): Promise<void> {
  const config = loadReportConfig(process.env);
  const logger = createLogger({ name: "report", level: config.logLevel });
  const app = await buildReportServer({
    archive: new Archive({ root: config.archiveDir, logger }),
    call: loadCall(config.callPath),
    password: config.password,
    sessionTtlMs: config.sessionTtlMs,
    secureCookie: config.secureCookie,
    logger,
  });
  const stop = () => {
    app.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await app.listen({ host: config.host, port: config.port });
}

main().catch((err: unknown) => {
  console.error(`report: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
