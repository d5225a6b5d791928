#!/usr/bin/env node
// The reviewers' web view as a process: reads its config from the environment
// (see config.ts), serves the archive until SIGINT/SIGTERM.
import { Archive } from "@intake/archive";
import { createQueues, redisOptionsFromUrl } from "@intake/jobs";
import { createLogger } from "@intake/logger";
import { openAccountStore } from "@intake/review";
import { loadCall } from "@intake/schema";
import { loadReportConfig } from "./config.js";
import { archiveWithHead } from "./archive-head.js";
import { deviceKey } from "./device-key.js";
import { buildReportServer } from "./server.js";

async function main(): Promise<void> {
  const config = loadReportConfig(process.env);
  const logger = createLogger({ name: "report", level: config.logLevel });
  // The dashboard's Redis calls give up rather than hang the page while Redis is down.
  const queues = config.redisUrl
    ? createQueues({ connection: redisOptionsFromUrl(config.redisUrl, { maxRetriesPerRequest: 3 }), prefix: config.redisPrefix })
    : undefined;
  const accounts = await openAccountStore({ archiveRoot: config.archiveDir, databaseUrl: config.accountsDatabaseUrl });
  if ((await accounts.list()).length === 0) logger.warn("no reviewer account yet: add one with `intake users add NAME --role admin`");
  if (process.env.INTAKE_REPORT_PASSWORD || process.env.INTAKE_REPORT_PASSWORD_FILE) logger.warn("INTAKE_REPORT_PASSWORD is no longer read: reviewers log in with their own accounts (`intake users add`)");
  const app = await buildReportServer({
    archive: archiveWithHead(new Archive({ root: config.archiveDir, logger }), config.archiveDir),
    archiveRoot: config.archiveDir,
    call: loadCall(config.callPath),
    accounts,
    sessionTtlMs: config.sessionTtlMs,
    secureCookie: config.secureCookie,
    trustProxy: config.trustProxy,
    // Kept in the archive: browsers that logged in keep their standing across restarts.
    throttle: { secret: await deviceKey(config.archiveDir) },
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    ...(queues ? { queues } : {}),
    logger,
  });
  app.addHook("onClose", async () => {
    await queues?.close();
    await accounts.close();
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
