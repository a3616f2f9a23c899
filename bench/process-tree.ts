import { readFileSync, readdirSync } from "node:fs";

/**
 * Memory and CPU of the server's process tree, read from /proc (Linux).
 * `next start` may run the server in a child process, so the tree is walked
 * from the process the bench spawned rather than trusting one pid.
 */

/** How often RSS is sampled while load runs. */
export const MEMORY_SAMPLE_INTERVAL_MS = 200;
/** Linux reports CPU time in clock ticks; 100 per second on every common kernel. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface TreeSnapshot {
  pids: number[];
  /** Sum of VmRSS over the tree, in bytes. */
  rssBytes: number;
  /** Largest VmHWM (the kernel's own peak RSS) of any process in the tree, in bytes. */
  hwmBytes: number;
  /** User + system CPU time of the tree so far, in milliseconds. */
  cpuMs: number;
}

export function descendantsOf(root: number): number[] {
  const childrenOf = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = parentPid(Number(entry));
    if (parent === null) continue;
    childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(childrenOf.get(pid) ?? []));
  }
  return tree;
}

export function snapshotTree(root: number): TreeSnapshot {
  const pids = descendantsOf(root);
  let rssBytes = 0;
  let hwmBytes = 0;
  let cpuMs = 0;
  for (const pid of pids) {
    const status = readProc(pid, "status");
    if (status) {
      rssBytes += kilobytesField(status, "VmRSS") * 1024;
      hwmBytes = Math.max(hwmBytes, kilobytesField(status, "VmHWM") * 1024);
    }
    cpuMs += cpuMsOf(pid);
  }
  return { pids, rssBytes, hwmBytes, cpuMs };
}

/** Samples the tree until stopped; `peak()` is the largest summed RSS seen. */
export function startMemorySampler(root: number) {
  let peakRss = 0;
  let peakHwm = 0;
  const sample = () => {
    const snapshot = snapshotTree(root);
    peakRss = Math.max(peakRss, snapshot.rssBytes);
    peakHwm = Math.max(peakHwm, snapshot.hwmBytes);
  };
  sample();
  const timer = setInterval(sample, MEMORY_SAMPLE_INTERVAL_MS);
  timer.unref();
  return {
    /** Peak since start, or since the last `resetPeak()`. */
    peak: () => ({ rssBytes: peakRss, hwmBytes: peakHwm }),
    resetPeak: () => {
      peakRss = 0;
      sample();
    },
    stop: () => clearInterval(timer),
  };
}

function readProc(pid: number, file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, "utf8");
  } catch {
    return null; // the process ended between listing and reading
  }
}

function parentPid(pid: number): number | null {
  const stat = readProc(pid, "stat");
  if (!stat) return null;
  // The command name (field 2) may contain spaces and parentheses; fields
  // after its closing parenthesis are plain numbers.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[1]);
}

function cpuMsOf(pid: number): number {
  const stat = readProc(pid, "stat");
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 here.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

function kilobytesField(status: string, name: string): number {
  const match = status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, "m"));
  return match ? Number(match[1]) : 0;
}

/** CPU time of every process on the machine so far, in milliseconds, with its name. */
export function cpuByProcess(): Map<number, { name: string; cpuMs: number }> {
  const result = new Map<number, { name: string; cpuMs: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const name = readProc(pid, "comm")?.trim();
    if (name) result.set(pid, { name, cpuMs: cpuMsOf(pid) });
  }
  return result;
}

/**
 * Cores used between two `cpuByProcess()` snapshots by everything except
 * the bench itself: its process, what it started (the server, esbuild) and
 * its launchers (npm, tsx). Busiest first, for a warning that names them.
 */
export function otherProcesses(
  before: Map<number, { name: string; cpuMs: number }>,
  after: Map<number, { name: string; cpuMs: number }>,
  seconds: number,
): { cores: number; busiest: { name: string; cores: number }[] } {
  const ours = new Set([...descendantsOf(process.pid), ...ancestorsOf(process.pid)]);
  const byName = new Map<string, number>();
  for (const [pid, now] of after) {
    if (ours.has(pid)) continue;
    const ms = now.cpuMs - (before.get(pid)?.cpuMs ?? 0);
    if (ms > 0) byName.set(now.name, (byName.get(now.name) ?? 0) + ms);
  }
  const busiest = [...byName]
    .map(([name, ms]) => ({ name, cores: ms / 1000 / seconds }))
    .sort((a, b) => b.cores - a.cores);
  return { cores: busiest.reduce((sum, p) => sum + p.cores, 0), busiest: busiest.slice(0, 3) };
}

function ancestorsOf(pid: number): number[] {
  const chain: number[] = [];
  // pid 1 is the machine's init, not a launcher of ours.
  for (let parent = parentPid(pid); parent !== null && parent > 1; parent = parentPid(parent)) chain.push(parent);
  return chain;
}
