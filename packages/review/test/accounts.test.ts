import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { Accounts, ArchiveAccountStore, hashPassword, PgAccountStore, verifyPassword, type AccountStore } from "../src/index.js";

const root = mkdtempSync(join(tmpdir(), "review-accounts-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("passwords", () => {
  it("are stored as scrypt hashes that verify only the same password", async () => {
    const h = await hashPassword("审阅-correct horse");
    expect(h).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(h).not.toContain("correct");
    expect(await verifyPassword("审阅-correct horse", h)).toBe(true);
    expect(await verifyPassword("审阅-correct horse ", h)).toBe(false);
    expect(await verifyPassword("x", "not a hash")).toBe(false);
    expect(await verifyPassword("x", null)).toBe(false);
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });
});

async function exercise(store: AccountStore): Promise<void> {
  const accounts = new Accounts(store);
  await accounts.add({ name: "zhangsan", role: "reviewer", password: "first password 1", displayName: "张三" });
  await expect(accounts.add({ name: "zhangsan", role: "admin", password: "another password" })).rejects.toThrow(/exists/);
  await expect(accounts.add({ name: "Bad Name", role: "admin", password: "another password" })).rejects.toThrow(/lower-case/);
  await expect(accounts.add({ name: "short", role: "admin", password: "short" })).rejects.toThrow(/10 characters/);
  expect((await accounts.authenticate("zhangsan", "first password 1"))?.displayName).toBe("张三");
  expect(await accounts.authenticate("zhangsan", "wrong password")).toBeNull();
  expect(await accounts.authenticate("nobody", "first password 1")).toBeNull();
  await accounts.update("zhangsan", { disabled: true });
  expect(await accounts.authenticate("zhangsan", "first password 1")).toBeNull();
  await accounts.update("zhangsan", { disabled: false, password: "second password 2", role: "admin" });
  expect((await accounts.authenticate("zhangsan", "second password 2"))?.role).toBe("admin");
  expect(await accounts.authenticate("zhangsan", "first password 1")).toBeNull();
  expect((await store.list()).map((a) => a.name)).toContain("zhangsan");
}

describe("accounts", () => {
  it("live in the archive, one file each, with no password in them", async () => {
    const store = new ArchiveAccountStore(root);
    await exercise(store);
    expect(readdirSync(join(root, "accounts"))).toEqual(["zhangsan.json"]);
    const text = readFileSync(join(root, "accounts/zhangsan.json"), "utf8");
    expect(text).not.toContain("password 2");
    expect(JSON.parse(text).hash).toMatch(/^scrypt\$/);
  });

  it("or in PostgreSQL when a database is configured", async () => {
    const url = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
    const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await probe.connect();
    } catch (err) {
      console.log(`skipped the PostgreSQL account store: no database at ${url} (${(err as Error).message})`);
      return;
    }
    await probe.query("DROP TABLE IF EXISTS intake_accounts");
    await probe.end();
    const store = new PgAccountStore(url);
    try {
      await exercise(store);
      expect((await store.get("zhangsan"))?.hash).toMatch(/^scrypt\$/);
    } finally {
      await store.close();
    }
  });
});
