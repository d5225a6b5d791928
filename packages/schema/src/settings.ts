import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { IntakeError } from "./errors.js";

/** What one scan process needs while it reads: the OCR models and a page or two, with room. */
const SCAN_PROCESS_BYTES = 1.5 * 1024 ** 3;

/**
 * One scan process per core, as many as the memory holds: OCR is the work
 * that decides how soon receipts go out, and the other roles use little CPU
 * (scans run at a lower priority, so they never delay them). Set
 * workers.scanProcesses where several scan-role processes share a machine.
 */
export function autoScanProcesses(cores = availableParallelism(), memory = totalmem()): number {
  return Math.max(1, Math.min(16, cores, Math.floor(memory / SCAN_PROCESS_BYTES)));
}

/**
 * A boolean that also accepts the strings environment variables carry.
 * z.coerce.boolean() would read "false" as true, so the words are listed.
 */
const Bool = z.union([
  z.boolean(),
  z
    .string()
    .trim()
    .toLowerCase()
    .refine((s) => ["true", "false", "1", "0", "yes", "no", "on", "off"].includes(s), "expected true or false")
    .transform((s) => ["true", "1", "yes", "on"].includes(s)),
]);

const Port = z.coerce.number().int().min(1).max(65535);
const Seconds = z.coerce.number().positive();

export const MailboxSettings = z
  .object({
    /** Matches a mailbox id of the call (guoyunlong, qijiaru). */
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "lower-case letters, digits, - and _"),
    host: z.string().min(1),
    port: Port.default(993),
    /** Implicit TLS (IMAPS); false for plain IMAP (STARTTLS is used when offered). */
    tls: Bool.default(true),
    user: z.string().min(1),
    password: z.string().min(1).optional(),
    /** A file holding the password (first line), instead of `password`. */
    passwordFile: z.string().min(1).optional(),
    /** The folder watched; default INBOX. */
    folder: z.string().min(1).default("INBOX"),
  })
  .refine((m) => m.password !== undefined || m.passwordFile !== undefined, {
    message: "password or passwordFile is required",
    path: ["password"],
  });
export type MailboxSettings = z.infer<typeof MailboxSettings>;

export const MarkHandled = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("keyword"), keyword: z.string().regex(/^[^\s()[\]{}%*"\\]+$/).default("$IntakeArchived") }),
  z.object({ mode: z.literal("move"), folder: z.string().min(1).default("Intake-Archived") }),
]);
export type MarkHandled = z.infer<typeof MarkHandled>;

export const SmtpSettings = z.object({
  /** "smtp" sends; "outbox" writes the receipts as .eml files under the archive instead. */
  mode: z.enum(["smtp", "outbox"]).default("outbox"),
  host: z.string().default("127.0.0.1"),
  port: Port.default(587),
  secure: Bool.default(false),
  user: z.string().optional(),
  pass: z.string().optional(),
  from: z.string().email(),
});
export type SmtpSettings = z.infer<typeof SmtpSettings>;

/** The daemon's settings: config/default.yaml, a --config file, then INTAKE_* variables. */
export const Settings = z.object({
  mailboxes: z.array(MailboxSettings).min(1),
  redis: z.object({
    url: z.string().url().refine((u) => /^rediss?:/.test(u), "expected redis:// or rediss://"),
    /** Key prefix of every queue; default "intake". */
    prefix: z.string().regex(/^[A-Za-z0-9_.-]+$/).default("intake"),
  }),
  archive: z.object({ dir: z.string().min(1) }),
  poll: z
    .object({
      /** Seconds between checks of a mailbox besides IDLE; default 60. */
      intervalSeconds: Seconds.default(60),
      /** Largest raw message taken, in bytes; default 100 MiB. */
      maxMessageBytes: z.coerce.number().int().positive().default(100 * 1024 * 1024),
    })
    .default({}),
  markHandled: MarkHandled.default({ mode: "keyword" }),
  smtp: SmtpSettings,
  log: z.object({ level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info") }).default({}),
  call: z.object({ file: z.string().min(1) }),
  shutdown: z.object({ timeoutSeconds: Seconds.default(20) }).default({}),
  /** How much of each role one process runs at once. */
  workers: z
    .object({
      /** Scan processes (scans read at once) of a process with the scan role; default "auto" (see autoScanProcesses). */
      scanProcesses: z
        .union([z.literal("auto"), z.coerce.number().int().min(1).max(16)])
        .default("auto")
        .transform((n) => (n === "auto" ? autoScanProcesses() : n)),
      /**
       * Default true: the scans of an email that brought its Word form (only the
       * sign-off page is read) go before those of scan-only emails (every page
       * read), so a cheap receipt never waits behind a queue of long OCR.
       */
      prioritizeFormScans: Bool.default(true),
    })
    .default({}),
  /** The /healthz, /readyz and /metrics endpoint of `intake run`. */
  ops: z
    .object({
      /** Default true. */
      enabled: Bool.default(true),
      /**
       * Default "127.0.0.1": the endpoint has no login, so it is reachable from this
       * machine only unless opened on purpose ("0.0.0.0" inside a container, whose
       * port is published on the host's loopback).
       */
      host: z.string().min(1).default("127.0.0.1"),
      /** Default 9464; 0 picks a free port. */
      port: z.coerce.number().int().min(0).max(65535).default(9464),
    })
    .default({}),
});
export type Settings = z.infer<typeof Settings>;

type Tree = Record<string, unknown>;

/** Variable → settings path, for the top-level values. */
const ENV_PATHS: Record<string, string[]> = {
  INTAKE_REDIS_URL: ["redis", "url"],
  INTAKE_REDIS_PREFIX: ["redis", "prefix"],
  INTAKE_ARCHIVE_DIR: ["archive", "dir"],
  INTAKE_POLL_INTERVAL: ["poll", "intervalSeconds"],
  INTAKE_MAX_MESSAGE_BYTES: ["poll", "maxMessageBytes"],
  INTAKE_LOG_LEVEL: ["log", "level"],
  INTAKE_CALL_FILE: ["call", "file"],
  INTAKE_MARK_MODE: ["markHandled", "mode"],
  INTAKE_MARK_KEYWORD: ["markHandled", "keyword"],
  INTAKE_MARK_FOLDER: ["markHandled", "folder"],
  INTAKE_SMTP_MODE: ["smtp", "mode"],
  INTAKE_SMTP_HOST: ["smtp", "host"],
  INTAKE_SMTP_PORT: ["smtp", "port"],
  INTAKE_SMTP_SECURE: ["smtp", "secure"],
  INTAKE_SMTP_USER: ["smtp", "user"],
  INTAKE_SMTP_PASS: ["smtp", "pass"],
  INTAKE_SMTP_FROM: ["smtp", "from"],
  INTAKE_SHUTDOWN_TIMEOUT: ["shutdown", "timeoutSeconds"],
  INTAKE_OPS_ENABLED: ["ops", "enabled"],
  INTAKE_OPS_HOST: ["ops", "host"],
  INTAKE_OPS_PORT: ["ops", "port"],
  INTAKE_SCAN_PROCESSES: ["workers", "scanProcesses"],
  INTAKE_PRIORITIZE_FORM_SCANS: ["workers", "prioritizeFormScans"],
};

/** Per mailbox: INTAKE_MAILBOX_<ID>_<SUFFIX> → key. */
const MAILBOX_ENV: Record<string, string> = {
  HOST: "host",
  PORT: "port",
  TLS: "tls",
  USER: "user",
  PASSWORD: "password",
  PASSWORD_FILE: "passwordFile",
  FOLDER: "folder",
};

/** The variable prefix of one mailbox: INTAKE_MAILBOX_GUOYUNLONG_. */
export function mailboxEnvPrefix(id: string): string {
  return `INTAKE_MAILBOX_${id.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_`;
}

/** Every variable loadSettings reads, for documentation and `intake doctor`. */
export function settingsEnvNames(mailboxIds: readonly string[]): string[] {
  return [
    ...Object.keys(ENV_PATHS),
    ...mailboxIds.flatMap((id) => Object.keys(MAILBOX_ENV).map((s) => mailboxEnvPrefix(id) + s)),
  ];
}

function isTree(v: unknown): v is Tree {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Later trees win key by key; a list (the mailboxes) is replaced as a whole, so a --config file says exactly which mailboxes to watch. */
function merge(base: unknown, over: unknown): unknown {
  if (isTree(base) && isTree(over)) {
    const out: Tree = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
  }
  return over === undefined ? base : over;
}

function setPath(tree: Tree, path: string[], value: unknown): void {
  let node = tree;
  for (const k of path.slice(0, -1)) {
    if (!isTree(node[k])) node[k] = {};
    node = node[k] as Tree;
  }
  node[path[path.length - 1]!] = value;
}

function readYaml(path: string): Tree {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new IntakeError("CONFIG_INVALID", `config file ${path} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (err) {
    throw new IntakeError("CONFIG_INVALID", `config file ${path} is not valid YAML: ${(err as Error).message}`, { cause: err });
  }
  if (parsed == null) return {};
  if (!isTree(parsed)) throw new IntakeError("CONFIG_INVALID", `config file ${path} must hold a mapping`);
  return parsed;
}

export interface LoadSettingsOptions {
  /** Files read in order, later ones overriding; default ["config/default.yaml"]. */
  files?: string[];
  /** The environment; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Relative paths (archive dir, call file, password files) resolve against it; default process.cwd(). */
  cwd?: string;
}

/**
 * Reads and validates the daemon's settings. Any wrong or missing value
 * throws CONFIG_INVALID naming the setting and the variable that sets it.
 */
export function loadSettings(opts: LoadSettingsOptions = {}): Settings {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const files = opts.files ?? ["config/default.yaml"];
  let tree: Tree = {};
  for (const f of files) tree = merge(tree, readYaml(resolve(cwd, f))) as Tree;

  // Which variable supplied which path, so an error can name it.
  const fromEnv = new Map<string, string>();
  for (const [name, path] of Object.entries(ENV_PATHS)) {
    const v = env[name];
    if (v === undefined || v === "") continue;
    setPath(tree, path, v);
    fromEnv.set(path.join("."), name);
  }
  const mailboxes = Array.isArray(tree.mailboxes) ? (tree.mailboxes as unknown[]) : [];
  mailboxes.forEach((m, i) => {
    if (!isTree(m) || typeof m.id !== "string") return;
    for (const [suffix, key] of Object.entries(MAILBOX_ENV)) {
      const name = mailboxEnvPrefix(m.id) + suffix;
      const v = env[name];
      if (v === undefined || v === "") continue;
      m[key] = v;
      fromEnv.set(`mailboxes.${i}.${key}`, name);
    }
  });

  const r = Settings.safeParse(tree);
  if (!r.success) {
    const issues = r.error.issues.map((issue) => {
      const dotted = issue.path.join(".");
      const mb = issue.path[0] === "mailboxes" && typeof issue.path[1] === "number" ? mailboxes[issue.path[1]] : undefined;
      const id = isTree(mb) && typeof mb.id === "string" ? mb.id : undefined;
      const leaf = String(issue.path[issue.path.length - 1] ?? "");
      const envName =
        fromEnv.get(dotted) ??
        (id && issue.path.length === 3
          ? mailboxEnvPrefix(id) + (Object.entries(MAILBOX_ENV).find(([, k]) => k === leaf)?.[0] ?? leaf.toUpperCase())
          : Object.entries(ENV_PATHS).find(([, p]) => p.join(".") === dotted)?.[0]);
      const where = id ? `mailboxes[${id}].${issue.path.slice(2).join(".")}` : dotted || "(root)";
      return `${where}${envName ? ` (${envName})` : ""}: ${issue.message}`;
    });
    throw new IntakeError("CONFIG_INVALID", `invalid settings: ${issues.join("; ")}`);
  }
  const s = r.data;
  s.archive.dir = resolve(cwd, s.archive.dir);
  s.call.file = resolve(cwd, s.call.file);
  for (const m of s.mailboxes) {
    if (m.password !== undefined) continue;
    const file = resolve(cwd, m.passwordFile!);
    let pw: string;
    try {
      pw = readFileSync(file, "utf8").split(/\r?\n/)[0] ?? "";
    } catch (err) {
      throw new IntakeError(
        "CONFIG_INVALID",
        `invalid settings: mailboxes[${m.id}].passwordFile (${mailboxEnvPrefix(m.id)}PASSWORD_FILE): cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
    }
    if (!pw) throw new IntakeError("CONFIG_INVALID", `invalid settings: mailboxes[${m.id}].passwordFile (${mailboxEnvPrefix(m.id)}PASSWORD_FILE): ${file} is empty`);
    m.password = pw;
  }
  const ids = s.mailboxes.map((m) => m.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new IntakeError("CONFIG_INVALID", `invalid settings: mailboxes: id ${dup} appears twice`);
  return s;
}
