#!/usr/bin/env node
// The reviewers' web view as a process: reads its config from the environment
// (see config.ts), serves the archive read-only until SIGINT/SIGTERM.
import { Archive, createLogger, createQueues, redisOptionsFromUrl } from "@intake/pipeline";
import { loadCall } from "@intake/schema";
import { loadReportConfig } from "./config.js";
import { buildReportServer } from "./server.js";

async function main(): Promise<void> {
  const config = loadReportConfig(process.env);
  const logger = createLogger({ name: "report", level: config.logLevel });
  // The dashboard's Redis calls give up rather than hang the page while Redis is down.
  const queues = config.redisUrl
    ? createQueues({ connection: redisOptionsFromUrl(config.redisUrl, { maxRetriesPerRequest: 3 }), prefix: config.redisPrefix })
    : undefined;
  const app = await buildReportServer({
    archive: new Archive({ root: config.archiveDir, logger }),
    call: loadCall(config.callPath),
    password: config.password,
    sessionTtlMs: config.sessionTtlMs,
    secureCookie: config.secureCookie,
    ...(queues ? { queues } : {}),
    logger,
  });
  if (queues) app.addHook("onClose", () => queues.close());
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
