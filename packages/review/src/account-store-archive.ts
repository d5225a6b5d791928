import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Account, ACCOUNT_NAME, type AccountStore } from "./accounts.js";
import { writeFileDurably } from "./fsync-file.js";

/** One file per account under `<archive>/accounts/`: each write is atomic on its own, so two writers never lose each other's account. */
export class ArchiveAccountStore implements AccountStore {
  private readonly dir: string;
  constructor(archiveRoot: string) {
    this.dir = join(archiveRoot, "accounts");
  }

  async get(name: string): Promise<Account | null> {
    if (!ACCOUNT_NAME.test(name)) return null;
    let text: string;
    try {
      text = await readFile(join(this.dir, `${name}.json`), "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
    const r = Account.safeParse(JSON.parse(text));
    return r.success && r.data.name === name ? r.data : null;
  }

  async list(): Promise<Account[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((n) => n.endsWith(".json")).map((n) => n.slice(0, -5));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    const all = await Promise.all(names.sort().map((n) => this.get(n)));
    return all.filter((a): a is Account => a !== null);
  }

  async put(account: Account): Promise<void> {
    const a = Account.parse(account);
    await writeFileDurably(join(this.dir, `${a.name}.json`), JSON.stringify(a, null, 2));
  }

  async close(): Promise<void> {}
}
