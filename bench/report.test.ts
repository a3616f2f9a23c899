import { describe, expect, it } from "vitest";
import type { Measurement } from "./load";
import { buildReport } from "./report";

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
    window: { startUs: 0, endUs: 1 },
    valid: true,
  };
}

const settings = { seconds: 10, warmupSeconds: 3, connections: 10, redeemConnections: 8 };
const report = (measurements: Measurement[]) =>
  buildReport({ startedAt: new Date(0), commit: null, settings, measurements, server: { peakRssBytes: 0, peakHwmBytes: 0 }, warnings: [] });

describe("the bench report", () => {
  it("compares each scenario with the baselines just before and after it, not with the run's average", () => {
    const { scenarios } = report([
      measured("baseline", 900, 1.0),
      measured("request-link", 600, 1.5),
      measured("baseline 2", 1100, 0.9),
      measured("session-check", 900, 1.1),
      measured("baseline (end)", 1300, 0.7),
    ]);
    const byName = Object.fromEntries(scenarios.map((s) => [s.name, s]));
    expect(byName["request-link"]).toMatchObject({ baselineRequestsPerSecond: 1000, ratio: 0.6, goal: 0.6, meetsGoal: true });
    expect(byName["request-link"].cpuRatio).toBeCloseTo(0.95 / 1.5);
    expect(byName["session-check"]).toMatchObject({ baselineRequestsPerSecond: 1200, ratio: 0.75, meetsGoal: false });
    expect(byName["baseline 2"]).toMatchObject({ ratio: null, baselineRequestsPerSecond: null });
  });

  it("gives no ratio at all when a baseline was invalid", () => {
    const broken = { ...measured("baseline (end)", 1000, 1), valid: false };
    const { scenarios } = report([measured("baseline", 1000, 1), measured("redeem", 700, 1.4), broken]);
    expect(scenarios.find((s) => s.name === "redeem")).toMatchObject({ ratio: null, meetsGoal: null });
  });
});
