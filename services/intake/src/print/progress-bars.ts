import cliProgress from "cli-progress";

/**
 * Progress bars on stderr, one per phase, drawn only on a terminal (logs and
 * CI get the summary line alone).
 */
export function phaseProgress(): { update(phase: string, done: number, total: number): void; stop(): void } {
  const tty = Boolean(process.stderr.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  let current = "";
  const stop = (): void => {
    bar?.stop();
    bar = null;
  };
  return {
    update(phase, done, total) {
      if (!tty) return;
      if (phase !== current) {
        stop();
        current = phase;
        bar = new cliProgress.SingleBar(
          { format: `${phase.padEnd(8)} [{bar}] {value}/{total} {percentage}% eta {eta_formatted}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.legacy,
        );
        bar.start(total, 0);
      }
      bar?.update(done);
    },
    stop,
  };
}
