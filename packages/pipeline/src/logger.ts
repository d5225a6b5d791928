import { pino, type Logger } from "pino";

/** Secrets are censored wherever these keys appear, up to three levels deep. */
const SECRET_KEYS = ["pass", "password", "auth", "token", "accessToken", "secret", "authorization"];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]).concat([
  "mailboxes[*].password",
  "settings.mailboxes[*].password",
  "smtp.auth.pass",
  "settings.smtp.pass",
]);

export interface LoggerOptions {
  /** pino level; default "info". */
  level?: string;
  /** The `name` binding of every line; default "intake". */
  name?: string;
  /** Where lines go; default stdout. */
  destination?: NodeJS.WritableStream;
}

/** The process's one root logger: JSON lines, secrets redacted, errors under `err`. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? "info",
    name: opts.name ?? "intake",
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: { err: pino.stdSerializers.err },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
