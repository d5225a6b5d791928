import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { loadCall, loadSettings, mailboxEnvPrefix, type Call, type Settings } from "@intake/schema";

/** config/default.yaml of this checkout: the ops commands read the same settings as `intake run`. */
export const DEFAULT_CONFIG = fileURLToPath(new URL("../../../config/default.yaml", import.meta.url));

/** Stands in for a mailbox password that a command does not need. */
export const UNUSED_PASSWORD = "(not needed)";

export interface OpsContextOptions {
  /** --config files, merged over config/default.yaml in order. */
  configs: string[];
  /** Whether mailbox passwords must be present (only `doctor` logs in); default false. */
  needMailboxPasswords?: boolean;
  /** The environment; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface OpsContext {
  settings: Settings;
  call: Call;
}

function mailboxIds(files: string[]): string[] {
  const ids = new Set<string>();
  for (const f of files) {
    try {
      const tree = parseYaml(readFileSync(f, "utf8")) as { mailboxes?: Array<{ id?: unknown }> } | null;
      for (const m of tree?.mailboxes ?? []) if (typeof m?.id === "string") ids.add(m.id);
    } catch {
      // loadSettings reports an unreadable file with a clear message.
    }
  }
  return [...ids];
}

/**
 * The daemon's settings and call as `intake run` would load them. Commands
 * that never log in to a mailbox do not need its password, so a missing one
 * is filled with a placeholder rather than refused.
 */
export function loadOpsContext(opts: OpsContextOptions): OpsContext {
  const files = [DEFAULT_CONFIG, ...opts.configs];
  const env = { ...(opts.env ?? process.env) };
  if (!opts.needMailboxPasswords) {
    for (const id of mailboxIds(files)) {
      const p = mailboxEnvPrefix(id);
      if (!env[`${p}PASSWORD`] && !env[`${p}PASSWORD_FILE`]) env[`${p}PASSWORD`] = UNUSED_PASSWORD;
    }
  }
  const settings = loadSettings({ files, env });
  return { settings, call: loadCall(settings.call.file) };
}

