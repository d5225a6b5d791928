#!/usr/bin/env node
// `intake <command> [options]`: each command lives in commands/<command>.ts and
// exports `main(argv): Promise<number>` (the exit code). Loaded lazily so a
// command's dependencies (OCR, Redis, IMAP) load only when it runs.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const COMMANDS: Record<string, string> = {
  run: "watch both mailboxes and run the workers (the daemon)",
  parse: "parse .eml files or folders offline: intake parse PATH... --out DIR",
  report: "write the reviewers' report: intake report --archive DIR --out DIR",
  status: "mailboxes, checkpoints, queue depths, failures",
  replay: "re-run the pipeline from the archive: intake replay <message|--all|--failed>",
  "resend-ack": "send a submission's receipt again: intake resend-ack <submission>",
  doctor: "check config, IMAP logins, Redis, SMTP, OCR data, disk",
  users: "the reviewers' accounts: intake users add NAME --role reviewer|admin",
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return ["usage: intake <command> [options]", "", ...Object.entries(COMMANDS).map(([c, d]) => `  ${c.padEnd(width)}  ${d}`)].join("\n");
}

async function dispatch(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "-h" || name === "--help") {
    console.log(usage());
    return name ? 0 : 2;
  }
  const file = fileURLToPath(new URL(`./commands/${name}.ts`, import.meta.url));
  if (!(name in COMMANDS) || !existsSync(file)) {
    console.error(`intake: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  const mod = (await import(`./commands/${name}.js`)) as { main(argv: string[]): Promise<number> };
  return mod.main(rest);
}

dispatch(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`intake: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
