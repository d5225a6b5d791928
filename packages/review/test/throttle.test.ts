import { describe, expect, it } from "vitest";
import { LoginThrottle } from "../src/index.js";

describe("login throttle", () => {
  it("refuses an account on unknown devices after repeated failures, yet lets its own browser in", () => {
    let now = 0;
    const t = new LoginThrottle({ accountFailures: 3, clientFailures: 100, now: () => now });
    const device = t.deviceToken("zhangsan");
    // An attacker behind the same proxy address guesses zhangsan's password.
    for (let i = 0; i < 3; i++) t.fail({ account: "zhangsan", known: true, client: "10.0.0.1" });
    expect(t.check({ account: "zhangsan", known: true, client: "10.0.0.1" })).toMatchObject({ allowed: false, why: "account" });
    expect(t.check({ account: "zhangsan", known: true, client: "10.0.0.2" })).toMatchObject({ allowed: false, why: "account" });
    // The reviewer's browser, which logged in before, is still let in; another account is untouched.
    expect(t.check({ account: "zhangsan", known: true, client: "10.0.0.1", device })).toEqual({ allowed: true });
    expect(t.check({ account: "lisi", known: true, client: "10.0.0.3" })).toEqual({ allowed: true });
    // A token is bound to its account and cannot be forged.
    expect(t.check({ account: "lisi", known: true, client: "10.0.0.3", device }).allowed).toBe(true);
    expect(t.check({ account: "zhangsan", known: true, client: "10.0.0.1", device: `${device.split(".")[0]}.forged` })).toMatchObject({ allowed: false });
    now = 15 * 60_000 + 1;
    expect(t.check({ account: "zhangsan", known: true, client: "10.0.0.2" })).toEqual({ allowed: true });
  });

  it("refuses one client address after many failures, over any accounts", () => {
    const t = new LoginThrottle({ clientFailures: 5, accountFailures: 100 });
    for (let i = 0; i < 5; i++) t.fail({ account: `made-up-${i}`, known: false, client: "203.0.113.9" });
    expect(t.check({ account: "zhangsan", known: true, client: "203.0.113.9" })).toMatchObject({ allowed: false, why: "client" });
    expect(t.check({ account: "zhangsan", known: true, client: "203.0.113.10" })).toEqual({ allowed: true });
    // IPv6: the /64 is one client.
    for (let i = 0; i < 5; i++) t.fail({ account: "x", known: false, client: `2001:db8:1:2::${i + 1}` });
    expect(t.check({ account: "zhangsan", known: true, client: "2001:db8:1:2::99" })).toMatchObject({ allowed: false, why: "client" });
  });

  it("cannot be reset by flooding distinct addresses: the table stays bounded and keeps its counts", () => {
    const t = new LoginThrottle({ accountFailures: 3, clientFailures: 3, maxEntries: 100 });
    for (let i = 0; i < 3; i++) t.fail({ account: "zhangsan", known: true, client: "127.0.0.1" });
    for (let i = 0; i < 10_010; i++) t.fail({ account: `u${i}`, known: false, client: `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` });
    expect(t.size).toBeLessThanOrEqual(102);
    expect(t.check({ account: "zhangsan", known: true, client: "127.0.0.1" })).toMatchObject({ allowed: false });
    // A new address lands in the shared overflow counter, which the flood filled: refused too.
    expect(t.check({ account: "zhangsan", known: true, client: "192.0.2.1" })).toMatchObject({ allowed: false });
    // The reviewer's own browser still gets in.
    expect(t.check({ account: "zhangsan", known: true, client: "192.0.2.1", device: t.deviceToken("zhangsan") })).toEqual({ allowed: true });
  });
});
