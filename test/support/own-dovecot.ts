// A Dovecot instance of a test's own (scripts/services/up.d/20-dovecot.sh with
// other ports and state folder), for tests that stop and start the server:
// the shared test Dovecot serves other tests and must stay up.
import { execFile, spawn } from "node:child_process";
import { appendFile, chown, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { connect, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./paths.js";

const run = promisify(execFile);

/** Runs a command that starts a daemon: the daemon keeps inherited pipes open, so its output goes to a file, not to us. */
function runDetached(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: "ignore" });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}`))));
  });
}

export interface OwnDovecot {
  imapPort: number;
  conf: string;
  createUser(name: string, password: string): Promise<{ user: string; password: string; host: string; port: number }>;
  deliver(user: string, raw: Buffer): Promise<void>;
  /** Drops a message into a user's Maildir while the server is stopped (as a local delivery agent would). */
  deliverOffline(user: string, raw: Buffer): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startOwnDovecot(): Promise<OwnDovecot> {
  const state = await mkdtemp(join(tmpdir(), "intake-own-dovecot-"));
  const dir = join(state, "dovecot");
  const imapPort = 21_000 + Math.floor(Math.random() * 8_000);
  const lmtpPort = imapPort + 1;
  const env = { ...process.env, TEST_STATE_DIR: state, TEST_DOVECOT_DIR: dir, TEST_IMAP_PORT: String(imapPort), TEST_LMTP_PORT: String(lmtpPort) };
  await runDetached("bash", [join(repoRoot, "scripts/services/up.d/20-dovecot.sh")], env);
  const conf = join(dir, "dovecot.conf");
  const stop = async () => {
    // Sessions outlive the master for a while; a stopped server drops them, as `systemctl stop` does.
    await run("doveadm", ["-c", conf, "kick", "*"]).catch(() => undefined);
    await run("bash", [join(repoRoot, "scripts/services/down.d/dovecot.sh")], { env });
  };
  return {
    imapPort,
    conf,
    async createUser(name, password) {
      await appendFile(join(dir, "users"), `${name}:{PLAIN}${password}::::::\n`);
      for (let i = 0; ; i++) {
        try {
          await run("doveadm", ["-c", conf, "user", name]);
          break;
        } catch (err) {
          if (i >= 50) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      return { user: name, password, host: "127.0.0.1", port: imapPort };
    },
    deliver: (user, raw) =>
      new Promise<void>((resolve, reject) => {
        const child = execFile("doveadm", ["-c", conf, "save", "-u", user, "-m", "INBOX"], (err) => (err ? reject(err) : resolve()));
        child.stdin!.end(raw);
      }),
    async deliverOffline(user, raw) {
      const box = join(dir, "mail", user.toLowerCase());
      const name = `${Date.now()}.M${Math.floor(Math.random() * 1e6)}.intake-test`;
      const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run("id", ["-u", "vmail"]), run("id", ["-g", "vmail"])]);
      for (const sub of ["tmp", "new", "cur"]) await mkdir(join(box, sub), { recursive: true });
      await writeFile(join(box, "new", name), raw);
      await chown(join(box, "new", name), Number(uid), Number(gid));
    },
    stop,
    async start() {
      await runDetached("/usr/sbin/dovecot", ["-c", conf], process.env);
      for (let i = 0; i < 100; i++) {
        const ok = await new Promise<boolean>((resolve) => {
          const s = connect(imapPort, "127.0.0.1");
          s.once("data", (d) => (s.destroy(), resolve(String(d).startsWith("* OK"))));
          s.once("error", () => resolve(false));
        });
        if (ok) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`own Dovecot did not come back (see ${join(dir, "dovecot.log")}): ${await readFile(join(dir, "dovecot.log"), "utf8").catch(() => "")}`);
    },
    async destroy() {
      await stop().catch(() => undefined);
      await rm(state, { recursive: true, force: true });
    },
  };
}

/** A TCP relay in front of a server that counts the connections made through it (login attempts). */
export interface CountingRelay {
  port: number;
  connections: number;
  close(): Promise<void>;
}

export async function startCountingRelay(targetPort: number): Promise<CountingRelay> {
  const sockets = new Set<Socket>();
  const relay: CountingRelay = { port: 0, connections: 0, close: async () => undefined };
  const server: Server = createServer((client) => {
    relay.connections++;
    const upstream = connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    client.pipe(upstream).pipe(client);
    upstream.on("error", () => client.destroy());
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  relay.port = (server.address() as { port: number }).port;
  relay.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return relay;
}
