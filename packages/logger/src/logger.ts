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

/** A password in a URL (redis://:secret@host, imaps://user:secret@host). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/@:]*):[^\s/@]*@/gi;

/**
 * Every string of a log line with the passwords of URLs in it censored,
 * however deep (plain objects and arrays; errors have their own serializer).
 * The settings are logged whole at start-up, and a Redis URL may carry one.
 */
export function redactUrlCredentials<T>(value: T, depth = 0): T {
  if (typeof value === "string") return (value.includes("@") ? value.replace(URL_CREDENTIALS, "$1:[redacted]@") : value) as T;
  if (depth > 8 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redactUrlCredentials(v, depth + 1)) as T;
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactUrlCredentials(v, depth + 1)])) as T;
}

/** The process's one root logger: JSON lines, secrets redacted (URL passwords too), errors under `err`. */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const options = {
    level: opts.level ?? "info",
    name: opts.name ?? "intake",
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    serializers: { err: (e: Error) => redactUrlCredentials({ ...pino.stdSerializers.err(e) }) },
    formatters: { log: (obj: Record<string, unknown>) => redactUrlCredentials(obj) },
    hooks: {
      // The message text too: "cannot reach redis://:secret@…" must not reach the log.
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a === "string" ? redactUrlCredentials(a) : a)));
      },
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
