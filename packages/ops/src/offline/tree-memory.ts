import { readdirSync, readFileSync } from "node:fs";

/**
 * Samples the resident memory of this process and all its descendants
 * together (scan processes, the PDF processes they start), from /proc: what
 * one `intake parse` costs the machine, not only its own process. Returns
 * null readings where there is no /proc.
 */
export function sampleTreeMemory(intervalMs = 250): { stop(): { treeMb: number; largestChildMb: number } | null } {
  let peak: { tree: number; child: number } | null = null;
  const sample = () => {
    const r = treeRssKb();
    if (r) peak = { tree: Math.max(peak?.tree ?? 0, r.tree), child: Math.max(peak?.child ?? 0, r.child) };
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      const p = peak as { tree: number; child: number } | null;
      return p ? { treeMb: Math.round(p.tree / 1024), largestChildMb: Math.round(p.child / 1024) } : null;
    },
  };
}

/** Resident kB of this process with its descendants together, and of its largest descendant alone. */
function treeRssKb(): { tree: number; child: number } | null {
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
  let tree = 0;
  let child = 0;
  const todo = [process.pid];
  while (todo.length) {
    const pid = todo.pop()!;
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "latin1"))?.[1] ?? 0);
      tree += kb;
      if (pid !== process.pid) child = Math.max(child, kb);
    } catch {
      // Likewise.
    }
    todo.push(...(children.get(pid) ?? []));
  }
  return { tree, child };
}
