import { z } from "zod";
import { hashPassword, verifyPassword } from "./password.js";

export const ROLES = ["reviewer", "admin"] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Login names: lower-case letters, digits and . _ - (they appear in the journal and in URLs). */
export const ACCOUNT_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const Account = z.object({
  name: z.string().regex(ACCOUNT_NAME),
  /** The person's own name as shown beside their decisions (张三); default the login name. */
  displayName: z.string().max(64).optional(),
  role: Role,
  /** scrypt hash (see password.ts); never the password. */
  hash: z.string(),
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Account = z.infer<typeof Account>;

/** Where accounts are kept: files in the archive, or a PostgreSQL table. */
export interface AccountStore {
  get(name: string): Promise<Account | null>;
  list(): Promise<Account[]>;
  put(account: Account): Promise<void>;
  close(): Promise<void>;
}

export class AccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AccountError";
  }
}

/** Adding, disabling and checking accounts over a store. */
export class Accounts {
  constructor(
    readonly store: AccountStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async add(o: { name: string; role: Role; password: string; displayName?: string }): Promise<Account> {
    if (!ACCOUNT_NAME.test(o.name)) throw new AccountError(`account name "${o.name}" must be lower-case letters, digits, . _ - (at most 64)`);
    if (o.password.length < 10) throw new AccountError("a password needs at least 10 characters");
    if (await this.store.get(o.name)) throw new AccountError(`account "${o.name}" exists already`);
    const at = this.now().toISOString();
    const account: Account = { name: o.name, role: o.role, hash: await hashPassword(o.password), disabled: false, createdAt: at, updatedAt: at, ...(o.displayName ? { displayName: o.displayName } : {}) };
    await this.store.put(account);
    return account;
  }

  async update(name: string, change: { disabled?: boolean; role?: Role; password?: string; displayName?: string }): Promise<Account> {
    const a = await this.store.get(name);
    if (!a) throw new AccountError(`no account "${name}"`);
    if (change.password !== undefined && change.password.length < 10) throw new AccountError("a password needs at least 10 characters");
    const next: Account = {
      ...a,
      ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
      ...(change.role ? { role: change.role } : {}),
      ...(change.displayName !== undefined ? { displayName: change.displayName } : {}),
      ...(change.password !== undefined ? { hash: await hashPassword(change.password) } : {}),
      updatedAt: this.now().toISOString(),
    };
    await this.store.put(next);
    return next;
  }

  /** The account when the name and password are right and it is enabled; null otherwise (same cost either way). */
  async authenticate(name: string, password: string): Promise<Account | null> {
    const a = ACCOUNT_NAME.test(name) ? await this.store.get(name) : null;
    const ok = await verifyPassword(password, a?.hash);
    return ok && a && !a.disabled ? a : null;
  }
}
