import { randomBytes } from "node:crypto";
import type { Role } from "@intake/review";

export interface SessionStoreOptions {
  /** How long a login lasts, in ms; default 8 hours. */
  ttlMs?: number;
  /** Most sessions kept at once (oldest dropped first); default 1000. */
  max?: number;
  /** Clock, for tests; default Date.now. */
  now?: () => number;
}

/** Who is logged in: the account, its role, and the session's token against cross-site forms. */
export interface Session {
  user: string;
  displayName: string;
  role: Role;
  /** Sent back in every form (the synchronizer token pattern). */
  csrf: string;
  expires: number;
  /** When the account was last found enabled (a disabled account's sessions end within a minute). */
  checkedAt: number;
}

/** Logged-in sessions, in memory: a restart logs everyone out (their next login is one form away). */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(o: SessionStoreOptions = {}) {
    this.ttlMs = o.ttlMs ?? 8 * 3600_000;
    this.max = o.max ?? 1000;
    this.now = o.now ?? Date.now;
  }

  get ttlSeconds(): number {
    return Math.floor(this.ttlMs / 1000);
  }

  create(who: { user: string; displayName: string; role: Role }): string {
    this.sweep();
    while (this.sessions.size >= this.max) this.sessions.delete(this.sessions.keys().next().value!);
    const token = randomBytes(32).toString("base64url");
    this.sessions.set(token, { ...who, csrf: randomBytes(24).toString("base64url"), expires: this.now() + this.ttlMs, checkedAt: this.now() });
    return token;
  }

  get(token: string | undefined): Session | undefined {
    if (!token) return undefined;
    const s = this.sessions.get(token);
    if (!s) return undefined;
    if (s.expires <= this.now()) {
      this.sessions.delete(token);
      return undefined;
    }
    return s;
  }

  valid(token: string | undefined): boolean {
    return this.get(token) !== undefined;
  }

  destroy(token: string | undefined): void {
    if (token) this.sessions.delete(token);
  }

  /** Ends every session of an account (disabled, or its password changed). */
  destroyUser(user: string): void {
    for (const [k, s] of this.sessions) if (s.user === user) this.sessions.delete(k);
  }

  private sweep(): void {
    const t = this.now();
    for (const [k, s] of this.sessions) if (s.expires <= t) this.sessions.delete(k);
  }
}
