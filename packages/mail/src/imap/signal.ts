/**
 * A wake-up signal: wait() resolves at the next notify() or after `ms`,
 * whichever comes first. A notify() with nobody waiting is remembered so a
 * new message announced mid-sync is not missed.
 */
export class Signal {
  private pending = false;
  private wake: (() => void) | null = null;

  notify(): void {
    if (this.wake) {
      const w = this.wake;
      this.wake = null;
      w();
    } else this.pending = true;
  }

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
