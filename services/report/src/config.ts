import { z } from "zod";

// "false" must stay false: z.coerce.boolean() would make it true.
const flag = z.enum(["true", "false", "1", "0", ""]).default("").transform((v) => v === "true" || v === "1");

// Compose passes an unset optional variable as "": that is "not set", not a bad value.
const unsetWhenEmpty = <T extends z.ZodTypeAny>(t: T) => z.preprocess((v) => (v === "" ? undefined : v), t);

const Env = z.object({
  INTAKE_ARCHIVE_DIR: z.string().min(1),
  INTAKE_CALL: z.string().min(1).default("config/calls/2026.yaml"),
  /** Accounts in PostgreSQL instead of the archive (postgres://…). */
  INTAKE_ACCOUNTS_DATABASE_URL: unsetWhenEmpty(z.string().regex(/^postgres(ql)?:\/\//, "expected postgres://…").optional()),
  INTAKE_REPORT_HOST: z.string().default("127.0.0.1"),
  INTAKE_REPORT_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  INTAKE_REPORT_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(8),
  INTAKE_REPORT_SECURE_COOKIE: flag,
  /** The TLS proxy in front: its address(es) or CIDR, comma-separated; then X-Forwarded-For names the client. */
  INTAKE_REPORT_TRUST_PROXY: z.string().default(""),
  /** The address reviewers use (https://host), for links in the workbook. */
  INTAKE_REPORT_BASE_URL: unsetWhenEmpty(z.string().url().optional()),
  LOG_LEVEL: z.string().default("info"),
  /** The daemon's Redis: the queue dashboard (admins) and the corrected receipts go through it. */
  INTAKE_REDIS_URL: z.string().url().optional(),
  INTAKE_REDIS_PREFIX: z.string().min(1).default("intake"),
});

export interface ReportConfig {
  archiveDir: string;
  callPath: string;
  accountsDatabaseUrl: string | null;
  host: string;
  port: number;
  sessionTtlMs: number;
  secureCookie: boolean;
  trustProxy: string[];
  baseUrl: string | null;
  logLevel: string;
  redisUrl: string | null;
  redisPrefix: string;
}

/** Validates the environment once at start; the error names the bad variable. */
export function loadReportConfig(env: NodeJS.ProcessEnv): ReportConfig {
  const r = Env.safeParse(env);
  if (!r.success) throw new Error(`report configuration is invalid: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const e = r.data;
  return {
    archiveDir: e.INTAKE_ARCHIVE_DIR,
    callPath: e.INTAKE_CALL,
    accountsDatabaseUrl: e.INTAKE_ACCOUNTS_DATABASE_URL ?? null,
    host: e.INTAKE_REPORT_HOST,
    port: e.INTAKE_REPORT_PORT,
    sessionTtlMs: e.INTAKE_REPORT_SESSION_HOURS * 3600_000,
    secureCookie: e.INTAKE_REPORT_SECURE_COOKIE,
    trustProxy: e.INTAKE_REPORT_TRUST_PROXY.split(",").map((s) => s.trim()).filter(Boolean),
    baseUrl: e.INTAKE_REPORT_BASE_URL ?? null,
    logLevel: e.LOG_LEVEL,
    redisUrl: e.INTAKE_REDIS_URL ?? null,
    redisPrefix: e.INTAKE_REDIS_PREFIX,
  };
}
