import { describe, expect, it } from "vitest";
import type { Measurement } from "./load";
import type { ClientJs, PageJs } from "./client-js";
import { decide } from "../lib/auth/policy/decide";
import { POLICY_ACTIONS, POLICY_TABLE } from "../lib/auth/policy/policy-table";
import { decideCases, type DecideMeasurement } from "./decide-micro";
import { buildReport, formatDecide, formatReport } from "./report";

function measured(name: string, requestsPerSecond: number, serverCpuMsPerRequest: number): Measurement {
  return {
    name,
    connections: 10,
    requests: requestsPerSecond * 10,
    durationSeconds: 10,
    requestsPerSecond,
    latencyMs: { p50: 1, p99: 2, average: 1, max: 3 },
    non2xx: 0,
    errors: 0,
    statusCodes: { "200": requestsPerSecond * 10 },
    failureCodes: {},
    serverCpuMsPerRequest,
    serverCores: 1,
    loadGeneratorCores: 0.1,
    otherCores: 0,
    busiestOthers: "",
    peakRssBytes: 0,
    valid: true,
  };
}

const settings = { rounds: 1, seconds: 10, warmupSeconds: 3, connections: 10, redeemConnections: 8 };
const report = (measurements: Measurement[]) =>
  buildReport({ startedAt: new Date(0), commit: null, settings, measurements, server: { peakRssBytes: 0, peakHwmBytes: 0 }, warnings: [] });

describe("the bench report", () => {
  it("compares each scenario with the baselines just before and after it, not with the run's average", () => {
    const { scenarios } = report([
      measured("baseline", 900, 1.0),
      measured("request-link", 600, 1.5),
      measured("baseline", 1100, 0.9),
      measured("session-check", 900, 1.1),
      measured("baseline", 1300, 0.7),
    ]);
    const byName = Object.fromEntries(scenarios.filter((s) => s.name !== "baseline").map((s) => [s.name, s]));
    expect(byName["request-link"]).toMatchObject({ baselineRequestsPerSecond: 1000, ratio: 0.6, goal: 0.6, meetsGoal: true });
    expect(byName["request-link"].cpuRatio).toBeCloseTo(0.95 / 1.5);
    expect(byName["session-check"]).toMatchObject({ baselineRequestsPerSecond: 1200, ratio: 0.75, meetsGoal: false });
    expect(scenarios[2]).toMatchObject({ name: "baseline", round: 2, ratio: null, baselineRequestsPerSecond: null });
  });

  it("judges a goal on the median of a scenario's rounds, and shows their spread", () => {
    const { scenarios, summary } = report([
      measured("baseline", 1000, 1),
      measured("session-check", 700, 1.4),
      measured("baseline", 1000, 1),
      measured("session-check", 850, 1.2),
      measured("baseline", 1000, 1),
      measured("session-check", 820, 1.25),
      measured("baseline", 1000, 1),
    ]);
    expect(scenarios.filter((s) => s.name === "session-check").map((s) => s.round)).toEqual([1, 2, 3]);
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ name: "session-check", rounds: 3, requestsPerSecond: 820, goal: 0.8, meetsGoal: true });
    expect(summary[0].ratio).toBeCloseTo(0.82);
    expect(summary[0].ratioMin).toBeCloseTo(0.7);
    expect(summary[0].ratioMax).toBeCloseTo(0.85);
    expect(summary[0].cpuRatio).toBeCloseTo(1 / 1.25);
  });

  it("fails a goal when any round was invalid, whatever the median", () => {
    const refused = { ...measured("redeem", 900, 1), valid: false, non2xx: 3 };
    const { summary } = report([
      measured("baseline", 1000, 1),
      measured("redeem", 900, 1),
      measured("baseline", 1000, 1),
      refused,
      measured("baseline", 1000, 1),
      measured("redeem", 900, 1),
      measured("baseline", 1000, 1),
    ]);
    expect(summary[0]).toMatchObject({ name: "redeem", ratio: 0.9, valid: false, meetsGoal: false });
  });

  it("gives no ratio at all when a baseline was invalid", () => {
    const broken = { ...measured("baseline", 1000, 1), valid: false };
    const { scenarios, summary } = report([measured("baseline", 1000, 1), measured("redeem", 700, 1.4), broken]);
    expect(scenarios.find((s) => s.name === "redeem")).toMatchObject({ ratio: null, meetsGoal: null });
    expect(summary[0]).toMatchObject({ ratio: null, meetsGoal: false });
  });
});

describe("the server memory line", () => {
  it("prints the peaks in MiB, the unit it divides by", () => {
    const printed = formatReport(
      buildReport({ startedAt: new Date(0), commit: null, settings, measurements: [], server: { peakRssBytes: 265 * 1024 * 1024, peakHwmBytes: 250 * 1024 * 1024 }, warnings: [] }),
    );
    expect(printed).toContain("Server peak RSS (process tree, sampled every 200 ms): 265 MiB; kernel VmHWM of its largest process: 250 MiB");
  });
});

describe("the client JavaScript line", () => {
  const page = (path: string, gzipBytes: number): PageJs => ({ path, scripts: 1, rawBytes: gzipBytes * 3, gzipBytes, inlineBytes: 0, files: [] });
  const figures = (signIn: number, blank: number): ClientJs => ({
    signIn: page("/en/sign-in", signIn),
    blank: page("/api/bench/blank", blank),
    overBlankBytes: signIn - blank,
    goalBytes: 8 * 1024,
  });
  const printed = (clientJs: ClientJs | null) =>
    formatReport(
      buildReport({ startedAt: new Date(0), commit: null, settings, measurements: [], server: { peakRssBytes: 0, peakHwmBytes: 0 }, clientJs, warnings: [] }),
    );

  it("prints the sign-in page's gzipped JavaScript and what it adds to a blank page, against the goal", () => {
    expect(printed(figures(139 * 1024, 132.5 * 1024))).toContain(
      "sign-in page JS: 139.0 KiB gzipped, +6.5 KiB over a blank page (132.5 KiB); goal ≤ +8.0 KiB: ok",
    );
    expect(printed(figures(157 * 1024, 132.5 * 1024))).toContain("+24.5 KiB over a blank page (132.5 KiB); goal ≤ +8.0 KiB: ABOVE GOAL");
  });

  it("says so when it could not be measured", () => {
    expect(printed(null)).toContain("sign-in page JS: not measured");
  });
});

describe("the decide() line", () => {
  const figures = (median: number): DecideMeasurement => ({ microsecondsPerCall: median, minMicroseconds: median - 0.1, maxMicroseconds: median + 0.2, calls: 1400 });

  it("prints the median microseconds a call, the range, and the goal's verdict", () => {
    expect(formatDecide(figures(0.5))).toBe("decide(): 0.50 µs a call (0.40–0.70, 1400 calls), goal < 5 µs: ok");
    expect(formatDecide(figures(6))).toContain("goal < 5 µs: ABOVE GOAL");
    expect(formatDecide(null)).toBe("decide(): not measured");
  });
});

describe("the decide() micro-benchmark's cases", () => {
  it("reach every kind of decision for every action", () => {
    const cases = decideCases(new Date("2026-12-06T12:00:00Z"));
    const kinds = new Set(cases.map(([action, context]) => `${action}:${decide(POLICY_TABLE, action, context).kind}`));
    for (const action of POLICY_ACTIONS) {
      expect(kinds.has(`${action}:deny`)).toBe(true);
      expect(kinds.has(`${action}:allow`)).toBe(true);
    }
    // Every action with a proof row asks for a step-up somewhere in the mix.
    for (const action of POLICY_ACTIONS.filter((a) => a !== "sign_in")) expect(kinds.has(`${action}:step_up`)).toBe(true);
  });
});
