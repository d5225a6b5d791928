import pg from "pg";
import { Account, ACCOUNT_NAME, type AccountStore } from "./accounts.js";

const TABLE = "intake_accounts";

type Row = { name: string; display_name: string | null; role: string; hash: string; disabled: boolean; created_at: Date; updated_at: Date };

function toAccount(r: Row): Account {
  return Account.parse({
    name: r.name,
    ...(r.display_name ? { displayName: r.display_name } : {}),
    role: r.role,
    hash: r.hash,
    disabled: r.disabled,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  });
}

/** Accounts in a PostgreSQL table (created on first use), for deployments that keep people apart from the archive. */
export class PgAccountStore implements AccountStore {
  private readonly pool: pg.Pool;
  private ready: Promise<void> | undefined;

  /** `url`: postgres://user@host:port/db. */
  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 5000 });
  }

  private init(): Promise<void> {
    this.ready ??= this.pool
      .query(
        `CREATE TABLE IF NOT EXISTS ${TABLE} (name text PRIMARY KEY, display_name text, role text NOT NULL, hash text NOT NULL,
         disabled boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)`,
      )
      .then(() => undefined);
    return this.ready;
  }

  async get(name: string): Promise<Account | null> {
    if (!ACCOUNT_NAME.test(name)) return null;
    await this.init();
    const r = await this.pool.query<Row>(`SELECT * FROM ${TABLE} WHERE name = $1`, [name]);
    return r.rows[0] ? toAccount(r.rows[0]) : null;
  }

  async list(): Promise<Account[]> {
    await this.init();
    return (await this.pool.query<Row>(`SELECT * FROM ${TABLE} ORDER BY name`)).rows.map(toAccount);
  }

  async put(account: Account): Promise<void> {
    const a = Account.parse(account);
    await this.init();
    await this.pool.query(
      `INSERT INTO ${TABLE} (name, display_name, role, hash, disabled, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
       ON CONFLICT (name) DO UPDATE SET display_name = $2, role = $3, hash = $4, disabled = $5, updated_at = $7`,
      [a.name, a.displayName ?? null, a.role, a.hash, a.disabled, a.createdAt, a.updatedAt],
    );
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** The store a deployment configured: PostgreSQL when a URL is given, else the archive. */
export async function openAccountStore(o: { archiveRoot: string; databaseUrl?: string | null }): Promise<AccountStore> {
  if (o.databaseUrl) return new PgAccountStore(o.databaseUrl);
  const { ArchiveAccountStore } = await import("./account-store-archive.js");
  return new ArchiveAccountStore(o.archiveRoot);
}
