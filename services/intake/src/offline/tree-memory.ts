import { readdirSync, readFileSync } from "node:fs";

/**
 * Samples the resident memory of this process and all its descendants
 * together (scan processes, the PDF processes they start), from /proc: what
 * one `intake parse` costs the machine, not only its own process. Returns
 * null readings where there is no /proc.
 */
export function sampleTreeMemory(intervalMs = 250): { stop(): number | null } {
  let peakKb: number | null = treeRssKb();
  const timer = setInterval(() => {
    const kb = treeRssKb();
    if (kb !== null) peakKb = Math.max(peakKb ?? 0, kb);
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return peakKb === null ? null : Math.round(peakKb / 1024);
    },
  };
}

function treeRssKb(): number | null {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((n) => /^\d+$/.test(n));
  } catch {
    return null;
  }
  const children = new Map<number, number[]>();
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "latin1");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(p)]);
    } catch {
      // The process ended while we looked.
    }
  }
  let kb = 0;
  const todo = [process.pid];
  while (todo.length) {
    const pid = todo.pop()!;
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "latin1"))?.[1] ?? 0);
    } catch {
      // Likewise.
    }
    todo.push(...(children.get(pid) ?? []));
  }
  return kb;
}
