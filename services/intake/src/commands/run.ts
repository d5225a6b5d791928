// `intake run [--config FILE]... [--roles poll,parse,scan,assemble,ack]`: the daemon.
import { createLogger } from "@intake/logger";
import { isIntakeError, loadCall, loadSettings, type Call, type Settings } from "@intake/schema";
import { ALL_ROLES, startDaemon, type Role } from "../wiring/daemon.js";
import { waitForShutdownSignal, within } from "../wiring/signals.js";
import { DEFAULT_CONFIG } from "../defaults.js";

const USAGE = `usage: intake run [--config FILE]... [--roles ${ALL_ROLES.join(",")}]
  Watches the mailboxes and runs the workers until SIGTERM/SIGINT.
  Settings: config/default.yaml, then each --config FILE, then INTAKE_* variables (see config/default.yaml).`;

/**
 * Crash drill: with this variable set to 1 the daemon kills itself right
 * after archiving a message and before enqueueing it, to prove a restart
 * loses nothing.
 */
const FAULT_EXIT_AFTER_ARCHIVE = "INTAKE_FAULT_EXIT_AFTER_ARCHIVE";

interface Args {
  configs: string[];
  roles: Role[];
}

function parseArgs(argv: string[]): Args | string {
  const configs: string[] = [];
  let roles: Role[] = [...ALL_ROLES];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--config" || a === "--roles") {
      const v = argv[++i];
      if (!v) return `${a} needs a value`;
      if (a === "--config") configs.push(v);
      else {
        const list = v.split(",").map((r) => r.trim()).filter(Boolean);
        const bad = list.find((r) => !(ALL_ROLES as readonly string[]).includes(r));
        if (bad || list.length === 0) return `unknown role "${bad ?? v}" (roles: ${ALL_ROLES.join(", ")})`;
        roles = list as Role[];
      }
    } else return `unknown argument "${a}"`;
  }
  return { configs, roles };
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("-h") || argv.includes("--help")) {
    console.log(USAGE);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === "string") {
    console.error(`intake run: ${args}\n${USAGE}`);
    return 2;
  }
  let settings: Settings;
  let call: Call;
  try {
    settings = loadSettings({ files: [DEFAULT_CONFIG, ...args.configs] });
    call = loadCall(settings.call.file);
  } catch (err) {
    console.error(`intake run: ${(err as Error).message}`);
    return 2;
  }

  const logger = createLogger({ level: settings.log.level, name: "intake" });
  logger.info({ settings }, "settings loaded");
  const afterArchive =
    process.env[FAULT_EXIT_AFTER_ARCHIVE] === "1"
      ? (messageKey: string) => {
          logger.warn({ messageKey }, "crash drill: exiting right after the archive write");
          process.kill(process.pid, "SIGKILL");
        }
      : undefined;

  const signal = waitForShutdownSignal((again) => {
    logger.warn({ signal: again }, "another stop signal after the first: exiting now");
    process.exit(1);
  });
  let daemon;
  try {
    daemon = await startDaemon({ settings, call, logger, roles: args.roles, ...(afterArchive ? { afterArchive } : {}) });
  } catch (err) {
    logger.fatal({ err, code: isIntakeError(err) ? err.code : undefined }, `start-up failed: ${(err as Error).message}`);
    return 1;
  }

  const got = await signal;
  const budget = settings.shutdown.timeoutSeconds * 1000;
  logger.info({ signal: got, timeoutMs: budget }, "shutting down");
  // Running jobs get most of the budget; what is left hands them back to the queue.
  const clean = await within(budget * 0.75, daemon.stop());
  if (!clean) {
    logger.warn("running jobs did not finish in time; returning them to the queue");
    await within(budget * 0.25, daemon.stop(true));
  }
  logger.info("stopped");
  // Anything still holding the event loop open must not keep the process past its budget.
  setTimeout(() => process.exit(0), 1_000).unref();
  return 0;
}
