// What the daemon's processes cost the machine, read from /proc once a
// second: resident memory per process (its peak, by what the process is),
// and CPU seconds of each daemon process with all its descendants, ended
// ones included (a parent's cutime/cstime counts the children it reaped).
import { readdirSync, readFileSync } from "node:fs";

const TICK = 100; // USER_HZ on Linux

export interface ProcPeak {
  pid: number;
  /** daemon (its roles), scan process, PDF process, other. */
  what: string;
  peakMb: number;
}

export interface ProcSampler {
  /** Adds a daemon process to watch, with a label (its roles). */
  watch(pid: number, label: string): void;
  /** Samples now (also done every second). */
  sample(): void;
  /** Peak resident memory of every process seen. */
  peaks(): ProcPeak[];
  /** CPU seconds of each watched daemon with its descendants, as last sampled. */
  cpuSeconds(): Map<string, number>;
  stop(): void;
}

function readStat(pid: number): { ppid: number; cpu: number; childCpu: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "latin1");
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    // fields after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / TICK, childCpu: (Number(f[13]) + Number(f[14])) / TICK };
  } catch {
    return null;
  }
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "latin1"))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function kindOf(pid: number): string {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, "latin1");
    if (cmd.includes("scan-process-main")) return "scan process";
    if (cmd.includes("pdf-child")) return "PDF process";
    return "other";
  } catch {
    return "other";
  }
}

export function startProcSampler(intervalMs = 1_000): ProcSampler {
  const roots = new Map<number, string>();
  const peaks = new Map<number, ProcPeak>();
  const cpu = new Map<string, number>();
  const sample = () => {
    const children = new Map<number, number[]>();
    const stats = new Map<number, NonNullable<ReturnType<typeof readStat>>>();
    for (const n of readdirSync("/proc")) {
      if (!/^\d+$/.test(n)) continue;
      const st = readStat(Number(n));
      if (!st) continue;
      stats.set(Number(n), st);
      children.set(st.ppid, [...(children.get(st.ppid) ?? []), Number(n)]);
    }
    for (const [root, label] of roots) {
      const rootStat = stats.get(root);
      if (!rootStat) continue;
      let total = 0;
      const todo = [root];
      while (todo.length) {
        const pid = todo.pop()!;
        const st = stats.get(pid);
        if (st) total += st.cpu + st.childCpu;
        const kb = rssKb(pid);
        const cur = peaks.get(pid) ?? { pid, what: pid === root ? `daemon (${label})` : kindOf(pid), peakMb: 0 };
        cur.peakMb = Math.max(cur.peakMb, Math.round(kb / 1024));
        peaks.set(pid, cur);
        todo.push(...(children.get(pid) ?? []));
      }
      cpu.set(label, Math.max(cpu.get(label) ?? 0, total));
    }
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    watch: (pid, label) => void roots.set(pid, label),
    sample,
    peaks: () => [...peaks.values()].filter((p) => p.peakMb > 0),
    cpuSeconds: () => new Map(cpu),
    stop: () => clearInterval(timer),
  };
}
