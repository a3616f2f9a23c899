import { NO_RISK, type RiskSignals } from "../risk/signals";
import { decide } from "./decide";
import { STRONG_METHODS, type Decision, type PolicyContext, type PolicyTable, type StrongMethod } from "./types";

/**
 * The admin's policy simulator: a decision for made-up facts, read from a
 * query string (every value is untrusted text; anything unknown reads as
 * "no"), so an operator can see what a rule does before a person meets it.
 * Nothing is looked up and nothing is recorded: decide() is pure.
 */
export const SIMULATED_FLAGS = ["blockedNetwork", "anonymizer", "newDevice", "newCountry", "impossibleTravel", "recentRecovery"] as const;
export type SimulatedFlag = (typeof SIMULATED_FLAGS)[number];

export interface Simulation {
  action: string;
  role: "user" | "admin";
  factors: StrongMethod[];
  /** The session's last proof: its method ("none" for no session, as at sign-in) and how many minutes ago. */
  proof: { method: "magic_link" | "passkey" | "totp" | "none"; minutesAgo: number };
  restricted: boolean;
  /** The session's device: no device key, a device key not yet vouched for by a passkey, or a trusted one. */
  device: SimulatedDevice;
  signals: RiskSignals;
}

const PROOF_METHODS = ["magic_link", "passkey", "totp", "none"] as const;
export const SIMULATED_DEVICES = ["none", "new", "trusted"] as const;
export type SimulatedDevice = (typeof SIMULATED_DEVICES)[number];

export function simulationFrom(query: Record<string, string | string[] | undefined>, actions: readonly string[]): Simulation {
  const text = (name: string) => (typeof query[name] === "string" ? (query[name] as string) : "");
  const on = (name: string) => text(name) === "on";
  const method = PROOF_METHODS.find((known) => known === text("proof")) ?? "magic_link";
  const minutes = Number.parseInt(text("minutesAgo"), 10);
  const failures = Number.parseInt(text("recentFailures"), 10);
  const signals: RiskSignals = { ...NO_RISK, recentFailures: Number.isFinite(failures) ? Math.min(Math.max(failures, 0), 1000) : 0 };
  for (const flag of SIMULATED_FLAGS) signals[flag] = on(flag);
  return {
    action: actions.includes(text("action")) ? text("action") : actions[0],
    role: text("role") === "admin" ? "admin" : "user",
    factors: STRONG_METHODS.filter((factor) => on(`factor_${factor}`)),
    proof: { method, minutesAgo: Number.isFinite(minutes) ? Math.min(Math.max(minutes, 0), 60 * 24 * 60) : 1 },
    restricted: on("restricted"),
    device: SIMULATED_DEVICES.find((known) => known === text("device")) ?? "trusted",
    signals,
  };
}

export function simulate(table: PolicyTable, simulation: Simulation, now: Date): Decision {
  const at = new Date(now.getTime() - simulation.proof.minutesAgo * 60 * 1000);
  const context: PolicyContext = {
    now,
    session:
      simulation.proof.method === "none"
        ? null
        : { id: "simulated", proofs: [{ method: simulation.proof.method, at }], grants: [], restricted: simulation.restricted },
    account: { role: simulation.role, strongFactors: simulation.factors },
    device: { binding: simulation.device === "none" ? "none" : "device-key", trusted: simulation.device === "trusted" },
    signals: simulation.signals,
  };
  return decide(table, simulation.action, context);
}
