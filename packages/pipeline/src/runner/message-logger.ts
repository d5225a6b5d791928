import type { Logger } from "pino";

/**
 * The logger for work on one message: bound to its key once. A logger that
 * already names this message (a job's) is used as is, so a line never
 * carries `messageKey` twice.
 */
export function messageLogger(logger: Logger, messageKey: string): Logger {
  return logger.bindings().messageKey === messageKey ? logger : logger.child({ messageKey });
}
