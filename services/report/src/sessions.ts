import { randomBytes } from "node:crypto";

export interface SessionStoreOptions {
  /** How long a login lasts, in ms; default 8 hours. */
  ttlMs?: number;
  /** Most sessions kept at once (oldest dropped first); default 1000. */
  max?: number;
  /** Clock, for tests; default Date.now. */
  now?: () => number;
}

/** Logged-in sessions, in memory: a restart logs everyone out, which is acceptable for a read-only view. */
export class SessionStore {
  private readonly sessions = new Map<string, number>();
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

  create(): string {
    this.sweep();
    while (this.sessions.size >= this.max) this.sessions.delete(this.sessions.keys().next().value!);
    const token = randomBytes(32).toString("base64url");
    this.sessions.set(token, this.now() + this.ttlMs);
    return token;
  }

  valid(token: string | undefined): boolean {
    if (!token) return false;
    const exp = this.sessions.get(token);
    if (exp === undefined) return false;
    if (exp <= this.now()) {
      this.sessions.delete(token);
      return false;
    }
    return true;
  }

  destroy(token: string | undefined): void {
    if (token) this.sessions.delete(token);
  }

  private sweep(): void {
    const t = this.now();
    for (const [k, exp] of this.sessions) if (exp <= t) this.sessions.delete(k);
  }
}
