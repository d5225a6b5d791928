import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { isIPv6 } from "node:net";

export interface LoginThrottleOptions {
  /** Failed logins per account per window before that account refuses unknown devices; default 5. */
  accountFailures?: number;
  /** Failed logins per client address per window before that address is refused; default 20. */
  clientFailures?: number;
  /** Failed logins per known device per window before that device loses its standing; default 10. */
  deviceFailures?: number;
  /** The window, ms; default 15 minutes. */
  windowMs?: number;
  /** Most counters kept; default 50 000. Past it new addresses share one counter, none is forgotten early. */
  maxEntries?: number;
  /** Key for device tokens; default random per process. */
  secret?: Buffer;
  now?: () => number;
}

export interface LoginAttempt {
  /** The account name typed (only known accounts get their own counter). */
  account: string;
  /** Whether an account of that name exists. */
  known: boolean;
  /** The client address (behind a trusted proxy: the forwarded one). */
  client: string;
  /** The device token the browser sent, if any. */
  device?: string;
}

export type ThrottleVerdict = { allowed: true } | { allowed: false; why: "account" | "client" | "device"; retryAfterSeconds: number };

const OVERFLOW = "c:*";
const UNKNOWN_ACCOUNT = "a:*";

/**
 * Login throttling that an attacker cannot turn against the reviewers:
 * counters per account and per client address, and a device token a browser
 * gets after a successful login. Failures lock an account only for devices it
 * has never logged in from, so a flood of wrong passwords (from one address,
 * or from many behind the TLS proxy) never keeps a reviewer with the right
 * password out of the browser they use. The counters are bounded and never
 * cleared early: past `maxEntries`, new addresses share one counter instead of
 * evicting others, so flooding distinct addresses cannot reset anyone's count.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly o: Required<Omit<LoginThrottleOptions, "secret" | "now">>;
  private readonly secret: Buffer;
  private readonly now: () => number;

  constructor(o: LoginThrottleOptions = {}) {
    this.o = {
      accountFailures: o.accountFailures ?? 5,
      clientFailures: o.clientFailures ?? 20,
      deviceFailures: o.deviceFailures ?? 10,
      windowMs: o.windowMs ?? 15 * 60_000,
      maxEntries: o.maxEntries ?? 50_000,
    };
    this.secret = o.secret ?? randomBytes(32);
    this.now = o.now ?? Date.now;
  }

  /** A token proving this browser logged in to `account` before (a long-lived cookie). */
  deviceToken(account: string): string {
    const nonce = randomBytes(12).toString("base64url");
    return `${nonce}.${this.mac(account, nonce)}`;
  }

  check(a: LoginAttempt): ThrottleVerdict {
    const device = this.deviceOf(a);
    if (device) {
      const n = this.recent(device);
      return n.length >= this.o.deviceFailures ? this.refuse("device", n, this.o.deviceFailures) : { allowed: true };
    }
    const c = this.recent(this.clientKey(a.client));
    if (c.length >= this.o.clientFailures) return this.refuse("client", c, this.o.clientFailures);
    const acc = this.recent(this.accountKey(a));
    if (acc.length >= this.o.accountFailures) return this.refuse("account", acc, this.o.accountFailures);
    return { allowed: true };
  }

  fail(a: LoginAttempt): void {
    const device = this.deviceOf(a);
    if (device) this.count(device);
    this.count(this.clientKey(a.client));
    this.count(this.accountKey(a));
  }

  succeed(a: LoginAttempt): void {
    this.failures.delete(this.clientKey(a.client));
    const device = this.deviceOf(a);
    if (device) this.failures.delete(device);
  }

  /** Counters held (for tests and metrics). */
  get size(): number {
    return this.failures.size;
  }

  private deviceOf(a: LoginAttempt): string | null {
    if (!a.device || !a.known) return null;
    const [nonce, mac] = a.device.split(".");
    if (!nonce || !mac || nonce.length > 32) return null;
    const want = Buffer.from(this.mac(a.account, nonce));
    const got = Buffer.from(mac);
    return want.length === got.length && timingSafeEqual(want, got) ? `d:${nonce}` : null;
  }

  private mac(account: string, nonce: string): string {
    return createHmac("sha256", this.secret).update(`${account}\u0000${nonce}`).digest("base64url").slice(0, 32);
  }

  private accountKey(a: LoginAttempt): string {
    // Made-up names share one counter: they cannot fill the table, and no real account is locked by them.
    return a.known ? `a:${a.account}` : UNKNOWN_ACCOUNT;
  }

  private clientKey(client: string): string {
    const ip = client.replace(/^::ffff:/, "");
    // One IPv6 host usually holds a whole /64: count the prefix, not each address.
    if (isIPv6(ip)) return `c:${ip.split(":").slice(0, 4).join(":")}::/64`;
    return `c:${ip}`;
  }

  private refuse(why: "account" | "client" | "device", times: number[], limit: number): ThrottleVerdict {
    // Allowed again when the failure that reached the limit leaves the window.
    const oldest = times[times.length - limit] ?? times[0] ?? this.now();
    return { allowed: false, why, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.o.windowMs - this.now()) / 1000)) };
  }

  private recent(key: string): number[] {
    const t = this.now() - this.o.windowMs;
    const list = this.failures.get(key) ?? (key.startsWith("c:") && !this.failures.has(key) && this.full() ? this.failures.get(OVERFLOW) : undefined) ?? [];
    return list.filter((x) => x > t);
  }

  private full(): boolean {
    return this.failures.size >= this.o.maxEntries;
  }

  private count(key: string): void {
    if (!this.failures.has(key) && this.full()) {
      this.sweep();
      if (this.full()) key = key.startsWith("c:") ? OVERFLOW : key;
    }
    const list = this.recent(key);
    list.push(this.now());
    // Only the last few failures matter for the verdict: the list stays short.
    this.failures.set(key, list.slice(-Math.max(this.o.accountFailures, this.o.clientFailures, this.o.deviceFailures)));
  }

  private sweep(): void {
    const t = this.now() - this.o.windowMs;
    for (const [k, v] of this.failures) if (!v.some((x) => x > t)) this.failures.delete(k);
  }
}
