/** Failed logins per client address within a window; past the limit, logins are refused until the window passes. */
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  constructor(
    private readonly limit = 10,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  blocked(client: string): boolean {
    return this.recent(client).length >= this.limit;
  }

  fail(client: string): void {
    if (this.failures.size > 10_000) this.failures.clear();
    this.failures.set(client, [...this.recent(client), this.now()]);
  }

  succeed(client: string): void {
    this.failures.delete(client);
  }

  private recent(client: string): number[] {
    const t = this.now() - this.windowMs;
    return (this.failures.get(client) ?? []).filter((x) => x > t);
  }
}
