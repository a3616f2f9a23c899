/**
 * `npx tsx bench/perf-summary.ts [perf.data] [--scenario=NAME] [top]`: where
 * the server's CPU went per request, from a `perf record` made by
 * `BENCH_PERF=1 npm run bench` (bench/README.md, "Finding where the time goes").
 *
 * Every scenario gets one line: the main thread's microseconds per request
 * (what decides its requests per second: Node serves on that thread), split
 * into SQLite, garbage collection and the rest, the kernel's share, and the
 * other threads'. The "main ratio" is the baselines' main-thread time per
 * request over the scenario's, what the req/s ratio tends to while the main
 * thread is the bottleneck. With `--scenario=NAME`, the main thread's time
 * is also listed by the JavaScript function it was in (native work counts
 * for the innermost JavaScript function that called it), against the
 * baselines'.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { SAMPLE_PARTS, perfScriptParser, scenarioCpuCounter, type ScenarioCpu } from "./perf-samples";
import { PERF_DATA_FILE, readMeasuredWindows, type MeasuredWindow } from "./report";
import { BASELINE } from "./scenarios";

/** Streams `perf script` through the counter; its output is too large to hold. */
async function countSamples(file: string, windows: MeasuredWindow[]): Promise<Map<string, ScenarioCpu>> {
  const counter = scenarioCpuCounter(windows);
  const parser = perfScriptParser((sample) => counter.count(sample));
  // Deep enough to get past SQLite's and V8's native frames to the JavaScript that called them.
  const perf = spawn("perf", ["script", "-i", file, "-F", "pid,tid,time,period,ip,sym,dso", "--max-stack=64"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let errors = "";
  perf.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => perf.once("close", resolve));
  for await (const line of createInterface({ input: perf.stdout })) parser.line(line);
  parser.end();
  const code = await exited;
  if (code !== 0) throw new Error(`perf script failed (exit ${code}): ${errors.trim().split("\n").at(-1) ?? ""}`);
  return counter.byScenario;
}

function perRequest(cpu: ScenarioCpu, key: string): number {
  return cpu.requests > 0 ? (cpu.byPart.get(key) ?? 0) / cpu.requests : 0;
}

/** All of one thread class's time per request (the parts add up; the kernel's share is inside them). */
function threadPerRequest(cpu: ScenarioCpu, thread: "main" | "other"): number {
  return SAMPLE_PARTS.reduce((sum, part) => sum + perRequest(cpu, `${thread}: ${part}`), 0);
}

function printOverview(byScenario: Map<string, ScenarioCpu>): void {
  const base = byScenario.get(BASELINE);
  const baseMain = base ? threadPerRequest(base, "main") : 0;
  const columns = ["scenario", "requests", "main µs/req", "SQLite", "GC", "JS+runtime", "kernel", "other threads", "main ratio"];
  const rows = [...byScenario].map(([name, cpu]) => [
    name,
    String(cpu.requests),
    threadPerRequest(cpu, "main").toFixed(0),
    ...SAMPLE_PARTS.map((part) => perRequest(cpu, `main: ${part}`).toFixed(0)),
    perRequest(cpu, "main: of which in the kernel").toFixed(0),
    threadPerRequest(cpu, "other").toFixed(0),
    name === BASELINE || baseMain === 0 ? "—" : (baseMain / threadPerRequest(cpu, "main")).toFixed(2),
  ]);
  const widths = columns.map((column, i) => Math.max(column.length, ...rows.map((row) => row[i].length)));
  const format = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  console.log(format(columns));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(format(row));
}

function printOwners(name: string, cpu: ScenarioCpu, base: ScenarioCpu | undefined, top: number): void {
  const perReq = (map: Map<string, number>, key: string, requests: number) => (requests > 0 ? (map.get(key) ?? 0) / requests : 0);
  const owners = new Set([...cpu.mainByOwner.keys(), ...(base?.mainByOwner.keys() ?? [])]);
  const rows = [...owners].map((owner) => {
    const here = perReq(cpu.mainByOwner, owner, cpu.requests);
    const there = base ? perReq(base.mainByOwner, owner, base.requests) : 0;
    return { owner, here, there };
  });
  rows.sort((a, b) => b.here - b.there - (a.here - a.there));
  console.log(`\nMain thread during ${name}, by JavaScript function (µs per request: ${name}, ${BASELINE}, difference)`);
  for (const { owner, here, there } of rows.slice(0, top)) {
    console.log(`${here.toFixed(1).padStart(8)} ${there.toFixed(1).padStart(8)} ${(here - there).toFixed(1).padStart(8)}  ${owner}`);
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const file = args.find((arg) => !arg.startsWith("--") && !/^\d+$/.test(arg)) ?? PERF_DATA_FILE;
  const top = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 30);
  const scenario = args.find((arg) => arg.startsWith("--scenario="))?.slice("--scenario=".length);

  const byScenario = await countSamples(file, readMeasuredWindows());
  printOverview(byScenario);
  if (scenario) {
    const cpu = byScenario.get(scenario);
    if (!cpu) throw new Error(`no measured run called "${scenario}" (there are: ${[...byScenario.keys()].join(", ")})`);
    printOwners(scenario, cpu, byScenario.get(BASELINE), top);
  }
}

main().catch((error: unknown) => {
  console.error(`perf-summary: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
