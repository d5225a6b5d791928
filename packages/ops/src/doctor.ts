import { isIntakeError } from "@intake/schema";
import { mailboxEnvPrefix } from "@intake/schema";
import { loadOpsContext, UNUSED_PASSWORD, type OpsContextOptions } from "./context.js";
import { checkArchive, checkDisk, checkImap, checkOcrData, checkPpOcrModels, checkRedis, checkSmtp, type CheckResult, type DoctorOptions } from "./doctor-checks.js";

/** Where the scan package finds its OCR model; null when that package or its model cannot be loaded. */
export async function ocrLangPath(): Promise<string | null> {
  try {
    const scan = (await import("@intake/scan")) as unknown as { defaultLangPath?: () => string };
    return typeof scan.defaultLangPath === "function" ? scan.defaultLangPath() : null;
  } catch {
    return null;
  }
}

/**
 * Every check of `intake doctor`, in order: settings and call, archive and
 * disk, Redis, each mailbox's login, SMTP, the OCR models (tesseract's and
 * PP-OCR's). A bad configuration does not stop the rest: what can still be
 * checked is.
 */
export async function runDoctor(ctx: OpsContextOptions, opts: DoctorOptions = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let loaded;
  try {
    loaded = loadOpsContext({ ...ctx, needMailboxPasswords: true });
    const { settings, call } = loaded;
    results.push({ name: "config", ok: true, detail: `settings valid; call ${call.id} from ${settings.call.file}; ${settings.mailboxes.length} mailboxes` });
  } catch (err) {
    const why = isIntakeError(err) ? err.message : String(err);
    results.push({ name: "config", ok: false, detail: why, fix: "fix the setting named above (config file or INTAKE_* variable; see the README's Configuration)" });
    try {
      // Without mailbox passwords the other checks can still run.
      loaded = loadOpsContext({ ...ctx, needMailboxPasswords: false });
    } catch {
      return results;
    }
  }
  const { settings } = loaded;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  results.push(await checkArchive(settings));
  results.push(await checkDisk(settings, opts.minFreeBytes));
  results.push(await checkRedis(settings, timeoutMs));
  const imap = await Promise.all(
    settings.mailboxes.map((m) =>
      m.password === UNUSED_PASSWORD
        ? { name: `imap ${m.id}`, ok: false, detail: `${m.user}: no password set`, fix: `set ${mailboxEnvPrefix(m.id)}PASSWORD or ${mailboxEnvPrefix(m.id)}PASSWORD_FILE` }
        : checkImap(m, timeoutMs),
    ),
  );
  results.push(...imap);
  results.push(await checkSmtp(settings, timeoutMs));
  results.push(await checkOcrData(opts.ocrLangPath ?? (await ocrLangPath())));
  results.push(await checkPpOcrModels(opts.ppocrModelDir));
  return results;
}

/** One line per check: ✓/✗, the name, what was found, and for ✗ what to do. */
export function formatChecks(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  return results
    .map((r) => `${r.ok ? "✓" : "✗"} ${r.name.padEnd(width)}  ${r.detail}${!r.ok && r.fix ? `\n  ${" ".repeat(width)}  → ${r.fix}` : ""}`)
    .join("\n");
}
