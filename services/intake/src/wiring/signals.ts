/** How long after the first stop signal further ones are taken as its echo, not as "force it". */
export const SIGNAL_ECHO_MS = 3_000;

/**
 * Resolves with the name of the first SIGTERM or SIGINT. A signal to the
 * process group (systemd's default, Ctrl-C in a terminal) also reaches the
 * npm/sh parents, which pass it on: the same stop arrives twice within
 * milliseconds. Repeats within `echoMs` are ignored; a later one is a
 * deliberate "stop now" and goes to `onRepeat`.
 */
export function waitForShutdownSignal(onRepeat?: (signal: string) => void, echoMs = SIGNAL_ECHO_MS): Promise<string> {
  return new Promise((resolve) => {
    let firstAt = 0;
    const handler = (signal: NodeJS.Signals) => {
      if (firstAt === 0) {
        firstAt = Date.now();
        resolve(signal);
        return;
      }
      if (Date.now() - firstAt >= echoMs) onRepeat?.(signal);
    };
    process.on("SIGTERM", handler);
    process.on("SIGINT", handler);
  });
}

/** Runs `work`, but gives up waiting after `ms`; resolves true when it finished in time. */
export async function within(ms: number, work: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
