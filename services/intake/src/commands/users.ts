// `intake users add|disable|enable|password|list`: the reviewers' accounts of the web view.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { AccountError, Accounts, openAccountStore, randomPassword, Role } from "@intake/review";

const USAGE = `usage: intake users <add|disable|enable|password|list> [NAME] [options]

  add NAME --role reviewer|admin [--name 张三]   a new account; prints its first password
  disable NAME / enable NAME                      stop or restore an account's logins
  password NAME                                   a new password (printed)
  list                                            every account, its role and state

  --archive DIR        the archive (default INTAKE_ARCHIVE_DIR, else .data/archive)
  --database URL       keep accounts in PostgreSQL (default INTAKE_ACCOUNTS_DATABASE_URL)
  --password-stdin     read the password from the first line of standard input instead`;

function readStdinLine(): string {
  return readFileSync(0, "utf8").split(/\r?\n/)[0] ?? "";
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        role: { type: "string" },
        name: { type: "string" },
        archive: { type: "string" },
        database: { type: "string" },
        "password-stdin": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (err) {
    console.error(`intake users: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [action, name] = positionals;
  if (values.help || !action) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const store = await openAccountStore({
    archiveRoot: resolve(values.archive ?? process.env.INTAKE_ARCHIVE_DIR ?? ".data/archive"),
    databaseUrl: values.database ?? process.env.INTAKE_ACCOUNTS_DATABASE_URL ?? null,
  });
  const accounts = new Accounts(store);
  const password = () => (values["password-stdin"] ? readStdinLine() : randomPassword());
  try {
    if (action === "list") {
      for (const a of await store.list()) console.log(`${a.name}\t${a.role}\t${a.disabled ? "disabled" : "active"}\t${a.displayName ?? ""}`);
      return 0;
    }
    if (!name) {
      console.error(`intake users ${action}: give the account name\n${USAGE}`);
      return 2;
    }
    if (action === "add") {
      const role = Role.safeParse(values.role);
      if (!role.success) {
        console.error("intake users add: --role reviewer or --role admin");
        return 2;
      }
      const pw = password();
      await accounts.add({ name, role: role.data, password: pw, ...(values.name ? { displayName: values.name } : {}) });
      console.log(values["password-stdin"] ? `added ${name} (${role.data})` : `added ${name} (${role.data}); first password: ${pw}`);
      return 0;
    }
    if (action === "disable" || action === "enable") {
      await accounts.update(name, { disabled: action === "disable" });
      console.log(`${name} ${action}d`);
      return 0;
    }
    if (action === "password") {
      const pw = password();
      await accounts.update(name, { password: pw });
      console.log(values["password-stdin"] ? `password of ${name} changed` : `new password of ${name}: ${pw}`);
      return 0;
    }
    console.error(`intake users: unknown action "${action}"\n${USAGE}`);
    return 2;
  } catch (err) {
    if (err instanceof AccountError) {
      console.error(`intake users: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}
