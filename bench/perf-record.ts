import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PERF_DATA_FILE, V8_LOG_FILE } from "./report";

/** How long perf gets to attach before the first measured run starts. */
const ATTACH_MS = 1_000;

/**
 * The server's node flags a recording needs: without its map file perf
 * cannot name the JavaScript it samples. The map also turns on V8's log,
 * which goes beside the results instead of into the checkout's root.
 */
export function nodeFlagsForPerf(): string[] {
  mkdirSync(dirname(V8_LOG_FILE), { recursive: true });
  return ["--perf-basic-prof", "--no-logfile-per-isolate", `--logfile=${V8_LOG_FILE}`];
}

export interface PerfRecording {
  /** Ends the recording and waits until perf has written its file. */
  stop(): Promise<void>;
}

/**
 * `perf record` of every thread of the server, with call stacks, on
 * CLOCK_MONOTONIC: the clock of the measured windows in
 * bench/results/latest.json, so bench/perf-summary.ts can tell which sample
 * belongs to which run.
 */
export async function startPerfRecord(serverPid: number): Promise<PerfRecording> {
  mkdirSync(dirname(PERF_DATA_FILE), { recursive: true });
  const args = ["record", "-e", "cpu-clock", "-F", "999", "-g", "-k", "CLOCK_MONOTONIC", "-p", String(serverPid), "-o", PERF_DATA_FILE];
  const perf = spawn("perf", args, { stdio: ["ignore", "ignore", "pipe"] });
  let errors = "";
  perf.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    perf.once("error", (error) => reject(new Error(`BENCH_PERF=1 needs Linux perf on the PATH (Debian: apt-get install linux-perf): ${error.message}`)));
    perf.once("close", resolve);
  });
  const early = await Promise.race([exited, new Promise<"running">((resolve) => setTimeout(() => resolve("running"), ATTACH_MS))]);
  if (early !== "running") throw new Error(`perf record stopped at once (exit ${early}): ${errors.trim()}`);
  return {
    async stop() {
      perf.kill("SIGINT");
      await exited;
    },
  };
}
