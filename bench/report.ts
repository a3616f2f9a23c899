import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { BASELINE, type BenchSettings } from "./scenarios";
import { formatClientJs, type ClientJs } from "./client-js";
import { DECIDE_GOAL_MICROSECONDS, type DecideMeasurement } from "./decide-micro";
import type { Measurement } from "./load";

/**
 * The bench's answer: each scenario's throughput as a share of the
 * framework's own baseline in the same run, beside the goal the issue set.
 */

/** Minimum req/s ÷ baseline req/s per scenario (the performance requirement). */
export const GOALS: Record<string, number> = {
  "request-link": 0.6,
  redeem: 0.5,
  "session-check": 0.8,
  "guarded-read": 0.75,
  "bound-session-check": 0.75,
  /**
   * Per request, like every goal: a proof is two (a challenge, then the
   * signed proof; bench/device-scenarios.ts), so proofs/s is half its req/s.
   */
  "device-proof": 0.5,
};

export const RESULTS_FILE = "bench/results/latest.json";
/** Cores used by processes other than the server and autocannon above which a scenario's figures are flagged. */
const NOISY_OTHER_CORES = 0.2;

export interface Report {
  startedAt: string;
  commit: string | null;
  machine: { cpus: number; cpuModel: string; node: string };
  settings: BenchSettings;
  baselineRequestsPerSecond: number;
  /**
   * `ratio` is req/s ÷ the req/s of the baselines just before and after (the
   * goal's measure). `cpuRatio` is their CPU per request ÷ this scenario's:
   * what the ratio tends to when the server is CPU-bound, and steadier when
   * other processes share the machine.
   */
  scenarios: (Measurement & {
    /** Which round of the run this measurement belongs to (1, 2, …), counted per name. */
    round: number;
    /** Mean req/s of the baselines measured just before and after this scenario (null for a baseline). */
    baselineRequestsPerSecond: number | null;
    ratio: number | null;
    cpuRatio: number | null;
    goal: number | null;
    meetsGoal: boolean | null;
  })[];
  /**
   * One line per scenario over all its rounds: the median round's figures,
   * and the spread of the ratio. The goals are judged on the median ratio.
   */
  summary: ScenarioSummary[];
  server: { peakRssBytes: number; peakHwmBytes: number };
  /** The sign-in page's JavaScript against a blank page's (bench/client-js.ts); null when it could not be measured. */
  clientJs: ClientJs | null;
  /** decide() alone, in the bench's process (bench/decide-micro.ts); null when not measured. */
  decide: DecideMeasurement | null;
  warnings: string[];
}

export interface ScenarioSummary {
  name: string;
  rounds: number;
  requestsPerSecond: number;
  serverCpuMsPerRequest: number;
  ratio: number | null;
  ratioMin: number | null;
  ratioMax: number | null;
  cpuRatio: number | null;
  goal: number | null;
  /** Null without a goal; false when any round was invalid. */
  meetsGoal: boolean | null;
  valid: boolean;
}

export function buildReport(input: {
  startedAt: Date;
  commit: string | null;
  settings: BenchSettings;
  measurements: Measurement[];
  server: Report["server"];
  clientJs?: ClientJs | null;
  decide?: DecideMeasurement | null;
  warnings: string[];
}): Report {
  // Each scenario against the baselines measured just before and just after
  // it: the machine's speed drifts during a run (seen here: a baseline of 900
  // req/s at the start and 1216 at the end), and a scenario is compared with
  // the framework as it was at that moment, not with the run's average.
  const baselines = input.measurements.filter((m) => isBaseline(m.name));
  const valid = baselines.length > 0 && baselines.every((m) => m.valid);
  const mean = (of: Measurement[], pick: (m: Measurement) => number) => of.reduce((sum, m) => sum + pick(m), 0) / of.length;
  const baselineRate = valid ? mean(baselines, (m) => m.requestsPerSecond) : 0;
  const roundsSeen = new Map<string, number>();
  const scenarios: Report["scenarios"] = input.measurements.map((m, index) => {
    const round = (roundsSeen.get(m.name) ?? 0) + 1;
    roundsSeen.set(m.name, round);
    const around = valid && !isBaseline(m.name) ? bracketingBaselines(input.measurements, index) : [];
    const aroundRate = around.length > 0 ? mean(around, (b) => b.requestsPerSecond) : 0;
    const aroundCpu = around.length > 0 ? mean(around, (b) => b.serverCpuMsPerRequest) : 0;
    const ratio = aroundRate === 0 ? null : m.requestsPerSecond / aroundRate;
    const goal = GOALS[m.name] ?? null;
    const cpuRatio = ratio === null || m.serverCpuMsPerRequest === 0 ? null : aroundCpu / m.serverCpuMsPerRequest;
    return {
      ...m,
      round,
      baselineRequestsPerSecond: around.length > 0 ? aroundRate : null,
      ratio,
      cpuRatio,
      goal,
      meetsGoal: ratio === null || goal === null ? null : m.valid && ratio >= goal,
    };
  });
  return {
    startedAt: input.startedAt.toISOString(),
    commit: input.commit,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? "unknown", node: process.version },
    settings: input.settings,
    baselineRequestsPerSecond: baselineRate,
    scenarios,
    summary: summarize(scenarios),
    server: input.server,
    clientJs: input.clientJs ?? null,
    decide: input.decide ?? null,
    warnings: [
      ...input.warnings,
      ...input.measurements
        .filter((m) => m.otherCores > NOISY_OTHER_CORES)
        .map((m) => `other processes used ${m.otherCores.toFixed(2)} cores during ${m.name} (${m.busiestOthers}): its figures are noisy`),
    ],
  };
}

/**
 * Each scenario's rounds folded into one line. The median, not the mean: one
 * round disturbed by something else on the machine moves it least.
 */
function summarize(scenarios: Report["scenarios"]): ScenarioSummary[] {
  const names = [...new Set(scenarios.filter((s) => !isBaseline(s.name)).map((s) => s.name))];
  return names.map((name) => {
    const rounds = scenarios.filter((s) => s.name === name);
    const ratios = rounds.map((s) => s.ratio).filter((r): r is number => r !== null);
    const cpuRatios = rounds.map((s) => s.cpuRatio).filter((r): r is number => r !== null);
    const valid = rounds.every((s) => s.valid);
    const ratio = ratios.length === rounds.length ? median(ratios) : null;
    const goal = GOALS[name] ?? null;
    return {
      name,
      rounds: rounds.length,
      requestsPerSecond: median(rounds.map((s) => s.requestsPerSecond)),
      serverCpuMsPerRequest: median(rounds.map((s) => s.serverCpuMsPerRequest)),
      ratio,
      ratioMin: ratio === null ? null : Math.min(...ratios),
      ratioMax: ratio === null ? null : Math.max(...ratios),
      cpuRatio: cpuRatios.length === rounds.length ? median(cpuRatios) : null,
      goal,
      meetsGoal: goal === null ? null : valid && ratio !== null && ratio >= goal,
      valid,
    };
  });
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function writeReport(report: Report): void {
  mkdirSync("bench/results", { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
}

export function formatReport(report: Report): string {
  const header = ["scenario", "round", "conns", "requests", "req/s", "p50 ms", "p99 ms", "non-2xx", "srv CPU ms/req", "cores srv/ac/other", "ratio", "CPU ratio"];
  const rows = report.scenarios.map((s) => [
    s.name,
    String(s.round),
    String(s.connections),
    String(s.requests),
    s.requestsPerSecond.toFixed(0),
    s.latencyMs.p50.toFixed(1),
    s.latencyMs.p99.toFixed(1),
    String(s.non2xx + s.errors),
    s.serverCpuMsPerRequest.toFixed(2),
    `${s.serverCores.toFixed(2)}/${s.loadGeneratorCores.toFixed(2)}/${s.otherCores.toFixed(2)}`,
    s.ratio === null ? "—" : s.ratio.toFixed(2),
    s.cpuRatio === null ? "—" : s.cpuRatio.toFixed(2),
  ]);
  const summaryHeader = ["scenario", "rounds", "req/s", "srv CPU ms/req", "ratio (median)", "range", "CPU ratio", "goal", ""];
  const summaryRows = report.summary.map((s) => [
    s.name,
    String(s.rounds),
    s.requestsPerSecond.toFixed(0),
    s.serverCpuMsPerRequest.toFixed(2),
    s.ratio === null ? "—" : s.ratio.toFixed(2),
    s.ratioMin === null || s.ratioMax === null ? "—" : `${s.ratioMin.toFixed(2)}–${s.ratioMax.toFixed(2)}`,
    s.cpuRatio === null ? "—" : s.cpuRatio.toFixed(2),
    s.goal === null ? "" : `≥ ${s.goal.toFixed(2)}`,
    verdict(s),
  ]);

  const out = [
    `Trustladder bench · ${report.startedAt} · commit ${report.commit ?? "?"} · ${report.machine.cpus} × ${report.machine.cpuModel} · Node ${report.machine.node}`,
    "",
    ...table(header, rows),
    "",
    ...table(summaryHeader, summaryRows),
    "",
    `Each ratio is against the baselines measured just before and after that run; a scenario's line above is the median of its rounds (all baselines: mean ${report.baselineRequestsPerSecond.toFixed(0)} req/s).`,
    `Server peak RSS (process tree, sampled every 200 ms): ${mebibytes(report.server.peakRssBytes)}; ` +
      `kernel VmHWM of its largest process: ${mebibytes(report.server.peakHwmBytes)}`,
    report.clientJs === null ? "sign-in page JS: not measured (see the warning below)" : formatClientJs(report.clientJs),
    formatDecide(report.decide),
  ];
  for (const s of report.scenarios.filter((m) => !m.valid)) {
    out.push(`INVALID ${s.name}: status codes ${JSON.stringify(s.statusCodes)}, errors ${s.errors}, failures ${JSON.stringify(s.failureCodes)}`);
  }
  for (const warning of report.warnings) out.push(`warning: ${warning}`);
  out.push(`Results written to ${RESULTS_FILE}`);
  return out.join("\n");
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((_, i) => Math.max(header[i].length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 || i === cells.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

/** The nearest baseline before `index` and the nearest after it (one of them at a run's edge). */
function bracketingBaselines(measurements: readonly Measurement[], index: number): Measurement[] {
  const before = measurements.slice(0, index).reverse().find((m) => isBaseline(m.name));
  const after = measurements.slice(index + 1).find((m) => isBaseline(m.name));
  return [before, after].filter((m): m is Measurement => m !== undefined);
}

function isBaseline(name: string): boolean {
  return name === BASELINE;
}

function verdict(s: { valid: boolean; meetsGoal: boolean | null }): string {
  if (!s.valid) return "INVALID";
  if (s.meetsGoal === null) return "";
  return s.meetsGoal ? "ok" : "BELOW GOAL";
}

export function formatDecide(decide: DecideMeasurement | null): string {
  if (decide === null) return "decide(): not measured";
  const { microsecondsPerCall: median, minMicroseconds: min, maxMicroseconds: max } = decide;
  const verdict = median < DECIDE_GOAL_MICROSECONDS ? "ok" : "ABOVE GOAL";
  return `decide(): ${median.toFixed(2)} µs a call (${min.toFixed(2)}–${max.toFixed(2)}, ${decide.calls} calls), goal < ${DECIDE_GOAL_MICROSECONDS} µs: ${verdict}`;
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}
