import { describe, expect, it } from "vitest";
import { POLICY_ACTIONS, POLICY_TABLE } from "./policy-table";
import { simulate, simulationFrom } from "./simulation";

const NOW = new Date("2026-06-01T12:00:00Z");

describe("the admin's policy simulator", () => {
  it("reads a query string into facts, and decides as the policy would", () => {
    const simulation = simulationFrom(
      { action: "payout.change", factor_passkey: "on", proof: "magic_link", minutesAgo: "2", anonymizer: "on" },
      POLICY_ACTIONS,
    );
    expect(simulation).toMatchObject({ action: "payout.change", factors: ["passkey"], signals: { anonymizer: true, newDevice: false } });
    expect(simulate(POLICY_TABLE, simulation, NOW)).toEqual({
      kind: "step_up",
      methods: ["passkey"],
      maxAgeSeconds: 300,
      reasons: ["anonymizer"],
    });
  });

  it("treats anything unknown as no: an unknown action is the first one, odd numbers are clamped, a forged role is a user", () => {
    const simulation = simulationFrom(
      { action: "drop.tables", role: "root", minutesAgo: "-5", recentFailures: "5000", blockedNetwork: "yes", factor_sms: "on" },
      POLICY_ACTIONS,
    );
    expect(simulation).toMatchObject({ action: POLICY_ACTIONS[0], role: "user", factors: [], proof: { minutesAgo: 0 } });
    expect(simulation.signals).toMatchObject({ blockedNetwork: false, recentFailures: 1000 });
  });

  it("simulates a sign-in with no session", () => {
    const simulation = simulationFrom({ action: "sign_in", proof: "none", blockedNetwork: "on" }, POLICY_ACTIONS);
    expect(simulate(POLICY_TABLE, simulation, NOW)).toEqual({ kind: "deny", reasons: ["blocked_network"] });
  });
});
