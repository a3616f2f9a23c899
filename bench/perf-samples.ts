/**
 * Reading `perf script` output of the bench's server (bench/perf-summary.ts).
 *
 * V8's own profiler (bench/cpu-profile-summary.ts) sees one thread and
 * charges native work to whichever JavaScript function it can; `perf` sees
 * every thread and the kernel. Node serves on one thread, so what limits a
 * route's requests per second is the main thread's time per request, and
 * work moved to another thread (the SQLite checkpointer, say) is nearly free
 * while a core is idle. Samples are therefore split by thread first.
 */
import type { MeasuredWindow } from "./report";

/** One sample: which thread, when (CLOCK_MONOTONIC), how much CPU it stands for, and its stack (innermost first). */
export interface PerfSample {
  pid: number;
  tid: number;
  timeUs: number;
  periodNs: number;
  frames: string[];
}

/** What a sample's time was spent on, for the summary's table. */
export const SAMPLE_PARTS = ["SQLite", "garbage collection", "JavaScript and runtime"] as const;
export type SamplePart = (typeof SAMPLE_PARTS)[number];

export interface ClassifiedSample {
  thread: "main" | "other";
  part: SamplePart;
  inKernel: boolean;
  /** The innermost JavaScript function on the stack (its file and position), or what native code it was. */
  owner: string;
}

// `pid/tid  seconds.micros:  period` (perf script -F pid,tid,time,period,ip,sym,dso).
const HEADER = /^\s*(\d+)\/(\d+)\s+(\d+)\.(\d+):\s+(\d+)/;
// `\t  address symbol (dso)`; the symbol may itself contain spaces and parentheses.
const FRAME = /^\s+[0-9a-f]+\s+(.*)$/;

/**
 * perf script's lines in, samples out, one line at a time: a run of the
 * whole bench prints gigabytes of stacks, too many to hold at once.
 */
export function perfScriptParser(onSample: (sample: PerfSample) => void): { line(text: string): void; end(): void } {
  let current: PerfSample | null = null;
  return {
    line(text) {
      const header = HEADER.exec(text);
      if (header) {
        if (current) onSample(current);
        const [, pid, tid, seconds, fraction, period] = header;
        const micros = Number(fraction.padEnd(6, "0").slice(0, 6));
        current = { pid: Number(pid), tid: Number(tid), timeUs: Number(seconds) * 1e6 + micros, periodNs: Number(period), frames: [] };
        return;
      }
      const frame = FRAME.exec(text);
      // Lines of any other shape (perf's own notes) are skipped.
      if (frame && current) current.frames.push(frame[1]);
    },
    end() {
      if (current) onSample(current);
      current = null;
    },
  };
}

const SQLITE = /better_sqlite3\.node/;
const GARBAGE_COLLECTION = /Scavenger|MarkCompact|Heap::Collect|Sweeper|ConcurrentMarking|MinorMarkSweep/;
const KERNEL = /\(\[kernel\.kallsyms\]\)$/;
// perf-basic-prof names JIT code `JS:<tier><name> <file>:<line>:<column>`.
const JAVASCRIPT = /^JS:[*^~+]?(.*?) \(/;

/** The main thread is the one whose id is the process's (`perf record -p` records one process). */
export function classify(sample: PerfSample): ClassifiedSample {
  const stack = sample.frames.join("\n");
  const part: SamplePart = SQLITE.test(stack) ? "SQLite" : GARBAGE_COLLECTION.test(stack) ? "garbage collection" : "JavaScript and runtime";
  return {
    thread: sample.tid === sample.pid ? "main" : "other",
    part,
    inKernel: sample.frames.length > 0 && KERNEL.test(sample.frames[0]),
    owner: ownerOf(sample.frames),
  };
}

function ownerOf(frames: readonly string[]): string {
  for (const frame of frames) {
    const js = JAVASCRIPT.exec(frame);
    if (js) return shortenPath(js[1]);
  }
  // No JavaScript on the stack: name the outermost native frame (the event loop, a worker's start).
  const outermost = frames.at(-1) ?? "(no stack)";
  return `(native) ${outermost.replace(/\s+\(.*\)$/, "")}`;
}

/** `/work/main/.next/server/chunks/x.js:1:2` → `.next/server/chunks/x.js:1:2`; a package's files from its name on. */
function shortenPath(name: string): string {
  const trimmed = name.trim();
  if (trimmed.includes("/node_modules/")) return trimmed.replace(/\S*\/node_modules\//, "");
  return trimmed.replace(/\S*?\/(\.next\/|lib\/|app\/|bench\/)/, "$1");
}

/** Per scenario: CPU microseconds by thread and part, by main-thread owner, and the requests they served. */
export interface ScenarioCpu {
  requests: number;
  byPart: Map<string, number>;
  mainByOwner: Map<string, number>;
}

/**
 * Counts each sample that falls in a measured window for its scenario.
 * Samples between windows (warm-ups, the bench's own bookkeeping) count for nothing.
 */
export function scenarioCpuCounter(windows: readonly MeasuredWindow[]): { count(sample: PerfSample): void; byScenario: Map<string, ScenarioCpu> } {
  const sorted = [...windows].sort((a, b) => a.startUs - b.startUs);
  const byScenario = new Map<string, ScenarioCpu>();
  for (const window of sorted) {
    const scenario = byScenario.get(window.name) ?? { requests: 0, byPart: new Map(), mainByOwner: new Map() };
    scenario.requests += window.requests;
    byScenario.set(window.name, scenario);
  }
  return {
    byScenario,
    count(sample) {
      const window = windowAt(sorted, sample.timeUs);
      if (!window) return;
      const scenario = byScenario.get(window.name) as ScenarioCpu;
      const { thread, part, inKernel, owner } = classify(sample);
      const us = sample.periodNs / 1000;
      add(scenario.byPart, `${thread}: ${part}`, us);
      if (inKernel) add(scenario.byPart, `${thread}: of which in the kernel`, us);
      if (thread === "main") add(scenario.mainByOwner, owner, us);
    },
  };
}

function windowAt(sorted: readonly MeasuredWindow[], timeUs: number): MeasuredWindow | null {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const window = sorted[middle];
    if (timeUs < window.startUs) high = middle - 1;
    else if (timeUs > window.endUs) low = middle + 1;
    else return window;
  }
  return null;
}

function add(totals: Map<string, number>, key: string, us: number): void {
  totals.set(key, (totals.get(key) ?? 0) + us);
}
