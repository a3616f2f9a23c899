import autocannon, { type Instance, type RequestTemplate, type Result } from "autocannon";
import { stringInJson } from "./json-body";
import { cpuByProcess, otherProcesses, snapshotTree, startMemorySampler } from "./process-tree";
import { BENCH_ORIGIN } from "./server";

/**
 * One scenario's load: an unmeasured warm-up (JIT, lazily loaded route
 * code, SQLite page cache), then the measured run, with the server's CPU
 * time and peak memory taken over the measured run only.
 */

/** A response slower than this counts as an error rather than a data point. */
const REQUEST_TIMEOUT_SECONDS = 10;

/** Either a fixed time or a fixed number of requests (for scenarios that use up a pool). */
export type Span = { seconds: number } | { requests: number };

export interface LoadPlan {
  name: string;
  connections: number;
  /** Null when the caller warmed up itself (redeem sizes its run from its warm-up). */
  warmup: Span | null;
  run: Span;
  /**
   * Builds each request; called once per request sent. A list is a sequence
   * each connection sends in turn, sharing one context (a later request reads
   * what an earlier one's response left there). Every scenario counts HTTP
   * requests, like the baseline it is compared with; a sequence counts only
   * when whole.
   */
  request: RequestTemplate | readonly RequestTemplate[];
}

export interface Measurement {
  name: string;
  connections: number;
  /** HTTP requests answered (for a plan with a sequence, those of whole sequences only). */
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  /** Connection errors and timeouts: like non-2xx, they make the run invalid. */
  errors: number;
  statusCodes: Record<string, number>;
  /** Error codes from non-2xx envelopes, to say why a run was invalid. */
  failureCodes: Record<string, number>;
  /** Server CPU (user + system, whole process tree) per request. */
  serverCpuMsPerRequest: number;
  /** Share of one core the server used on average (2.0 = two cores busy). */
  serverCores: number;
  /** The same for autocannon (this process), which shares the machine. */
  loadGeneratorCores: number;
  /** The same for every other process on the machine: above ~0.2 the figures are noisy. */
  otherCores: number;
  /** The busiest of those, e.g. "node 0.61, chrome 0.12". */
  busiestOthers: string;
  peakRssBytes: number;
  valid: boolean;
}

let current: Instance | null = null;

/** Stops whatever autocannon run is in flight (SIGINT). */
export function stopLoad(): void {
  current?.stop();
}

export async function measure(plan: LoadPlan, serverPid: number): Promise<Measurement> {
  const failureCodes: Record<string, number> = {};
  if (plan.warmup) await fire(plan, plan.warmup, {});

  const memory = startMemorySampler(serverPid);
  const cpuBefore = snapshotTree(serverPid).cpuMs;
  const benchBefore = process.cpuUsage();
  const processesBefore = cpuByProcess();
  const { result, durationSeconds } = await fire(plan, plan.run, failureCodes);
  const cpuMs = snapshotTree(serverPid).cpuMs - cpuBefore;
  const bench = process.cpuUsage(benchBefore);
  const others = otherProcesses(processesBefore, cpuByProcess(), durationSeconds);
  memory.stop();

  // A run of fixed time stops mid-sequence on some connections: those halves do not count.
  const requests = Math.floor(result.requests.total / sequenceLength(plan)) * sequenceLength(plan);
  const errors = result.errors + result.timeouts;
  return {
    name: plan.name,
    connections: plan.connections,
    requests,
    durationSeconds,
    requestsPerSecond: requests / durationSeconds,
    latencyMs: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      average: result.latency.average,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    errors,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
    failureCodes,
    serverCpuMsPerRequest: requests > 0 ? cpuMs / requests : 0,
    serverCores: cpuMs / 1000 / durationSeconds,
    loadGeneratorCores: (bench.user + bench.system) / 1000 / 1000 / durationSeconds,
    otherCores: others.cores,
    busiestOthers: others.busiest.map((p) => `${p.name} ${p.cores.toFixed(2)}`).join(", "),
    peakRssBytes: memory.peak().rssBytes,
    valid: requests > 0 && result.non2xx === 0 && errors === 0,
  };
}

/**
 * Runs one span of load. A run of N requests is timed here, from the start
 * to its last response: autocannon notices that the last one came back
 * only at its next once-a-second tick, and reports that as the duration,
 * so 1000 requests answered in 1.6 s would count as 2.0 s (and the server
 * as idle for the rest). A run of fixed time takes autocannon's duration:
 * it keeps sending until that same tick.
 */
async function fire(
  plan: LoadPlan,
  span: Span,
  failureCodes: Record<string, number>,
): Promise<{ result: Result; durationSeconds: number }> {
  const startedAt = performance.now();
  let lastResponseAt = startedAt;
  const templates: readonly RequestTemplate[] = Array.isArray(plan.request) ? plan.request : [plan.request];
  const requests = templates.map(
    (template): RequestTemplate => ({
      ...template,
      onResponse(status, body, context) {
        lastResponseAt = performance.now();
        if (status >= 300) {
          const code = errorCodeOf(body) ?? `HTTP_${status}`;
          failureCodes[code] = (failureCodes[code] ?? 0) + 1;
        }
        template.onResponse?.(status, body, context);
      },
    }),
  );
  current = autocannon({
    url: BENCH_ORIGIN,
    connections: plan.connections,
    timeout: REQUEST_TIMEOUT_SECONDS,
    ...("seconds" in span ? { duration: span.seconds } : { amount: span.requests * sequenceLength(plan) }),
    requests,
  });
  try {
    const result = await current;
    const answered = result.requests.total > 0 && lastResponseAt > startedAt;
    const durationSeconds = "seconds" in span || !answered ? result.duration : (lastResponseAt - startedAt) / 1000;
    return { result, durationSeconds };
  } finally {
    current = null;
  }
}

function sequenceLength(plan: LoadPlan): number {
  return Array.isArray(plan.request) ? plan.request.length : 1;
}

function errorCodeOf(body: string): string | null {
  return stringInJson(body, "error", "code") ?? null;
}
