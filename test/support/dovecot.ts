// The test Dovecot started by scripts/services/up.d/20-dovecot.sh: add users at
// run time, drop mail into their folders, and find where it listens.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const stateDir = process.env.TEST_STATE_DIR ?? "/tmp/exchange-intake-test";
/** Folder of the test Dovecot's config, users file and mail. */
export const DOVECOT_DIR = process.env.TEST_DOVECOT_DIR ?? join(stateDir, "dovecot");
/** Where the test IMAP server listens (plain IMAP, cleartext login allowed on loopback). */
export const IMAP_HOST = process.env.TEST_IMAP_HOST ?? "127.0.0.1";
export const IMAP_PORT = Number(process.env.TEST_IMAP_PORT ?? 10143);
/** The LMTP listener: RCPT TO must be a user name given to createMailUser. */
export const LMTP_PORT = Number(process.env.TEST_LMTP_PORT ?? 10024);

const CONF = join(DOVECOT_DIR, "dovecot.conf");
const USERS = join(DOVECOT_DIR, "users");

export interface MailUser {
  user: string;
  password: string;
  host: string;
  port: number;
}

/** A name no other test uses: prefix plus random hex. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** Adds a mail user (Dovecot re-reads its users file on change). Names: letters, digits, . _ - @. */
export async function createMailUser(name: string, password: string): Promise<MailUser> {
  if (!/^[A-Za-z0-9._@-]+$/.test(name) || /[:\n]/.test(password)) throw new Error(`bad test user ${name}`);
  await appendFile(USERS, `${name}:{PLAIN}${password}::::::\n`);
  // Dovecot looks at the file at most once a second; wait until it knows the user.
  for (let i = 0; ; i++) {
    try {
      await run("doveadm", ["-c", CONF, "user", name]);
      break;
    } catch (err) {
      if (i >= 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { user: name, password, host: IMAP_HOST, port: IMAP_PORT };
}

/**
 * Removes a user's mail. The users file is only ever appended to: tests in
 * parallel processes add users at the same time, and a rewrite could drop
 * another test's user (or keep the file's size, which Dovecot uses to notice
 * changes). A removed user's line stays, with a random password nobody knows.
 */
export async function removeMailUser(name: string): Promise<void> {
  await rm(join(DOVECOT_DIR, "mail", name.toLowerCase()), { recursive: true, force: true });
}

/** Saves a raw message into a user's folder, as delivery would (doveadm save; needs root). */
export async function deliver(user: string, raw: Buffer, folder = "INBOX"): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile("doveadm", ["-c", CONF, "save", "-u", user, "-m", folder], (err) => (err ? reject(err) : resolve()));
    child.stdin!.end(raw);
  });
}

/** Searches a user's folder (doveadm search query, e.g. "ALL" or "KEYWORD $IntakeArchived"); returns the uids. */
export async function searchUids(user: string, query: string, folder = "INBOX"): Promise<number[]> {
  const { stdout } = await run("doveadm", ["-c", CONF, "search", "-u", user, "mailbox", folder, ...query.split(" ")]);
  return stdout
    .split("\n")
    .filter(Boolean)
    .map((l) => Number(l.trim().split(/\s+/)[1]));
}

/** The flags of every message in a user's folder, by uid. */
export async function flagsByUid(user: string, folder = "INBOX"): Promise<Map<number, string[]>> {
  const { stdout } = await run("doveadm", ["-c", CONF, "-f", "tab", "fetch", "-u", user, "uid flags", "mailbox", folder, "ALL"]);
  const out = new Map<number, string[]>();
  for (const line of stdout.split("\n").slice(1)) {
    if (!line.trim()) continue;
    const [uid, flags] = line.split("\t");
    out.set(Number(uid), (flags ?? "").split(" ").filter(Boolean));
  }
  return out;
}
