import { readFileSync } from "node:fs";
import { z } from "zod";

// "false" must stay false: z.coerce.boolean() would make it true.
const flag = z.enum(["true", "false", "1", "0", ""]).default("").transform((v) => v === "true" || v === "1");

const Env = z.object({
  INTAKE_ARCHIVE_DIR: z.string().min(1),
  INTAKE_CALL: z.string().min(1).default("config/calls/2026.yaml"),
  INTAKE_REPORT_PASSWORD: z.string().optional(),
  INTAKE_REPORT_PASSWORD_FILE: z.string().optional(),
  INTAKE_REPORT_HOST: z.string().default("127.0.0.1"),
  INTAKE_REPORT_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  INTAKE_REPORT_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(8),
  INTAKE_REPORT_SECURE_COOKIE: flag,
  LOG_LEVEL: z.string().default("info"),
  /** The daemon's Redis: when set, the queue dashboard is served at /admin/queues. */
  INTAKE_REDIS_URL: z.string().url().optional(),
  INTAKE_REDIS_PREFIX: z.string().min(1).default("intake"),
});

export interface ReportConfig {
  archiveDir: string;
  callPath: string;
  password: string;
  host: string;
  port: number;
  sessionTtlMs: number;
  secureCookie: boolean;
  logLevel: string;
  redisUrl: string | null;
  redisPrefix: string;
}

/** Validates the environment once at start; the error names the bad variable. */
export function loadReportConfig(env: NodeJS.ProcessEnv): ReportConfig {
  const r = Env.safeParse(env);
  if (!r.success) throw new Error(`report configuration is invalid: ${r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const e = r.data;
  let password = e.INTAKE_REPORT_PASSWORD ?? "";
  if (!password && e.INTAKE_REPORT_PASSWORD_FILE) password = readFileSync(e.INTAKE_REPORT_PASSWORD_FILE, "utf8").replace(/\r?\n$/, "");
  if (!password) throw new Error("report configuration is invalid: set INTAKE_REPORT_PASSWORD or INTAKE_REPORT_PASSWORD_FILE");
  return {
    archiveDir: e.INTAKE_ARCHIVE_DIR,
    callPath: e.INTAKE_CALL,
    password,
    host: e.INTAKE_REPORT_HOST,
    port: e.INTAKE_REPORT_PORT,
    sessionTtlMs: e.INTAKE_REPORT_SESSION_HOURS * 3600_000,
    secureCookie: e.INTAKE_REPORT_SECURE_COOKIE,
    logLevel: e.LOG_LEVEL,
    redisUrl: e.INTAKE_REDIS_URL ?? null,
    redisPrefix: e.INTAKE_REDIS_PREFIX,
  };
}
