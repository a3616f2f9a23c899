import { decide } from "../lib/auth/policy/decide";
import { POLICY_ACTIONS, POLICY_TABLE } from "../lib/auth/policy/policy-table";
import type { PolicyContext } from "../lib/auth/policy/types";
import { NO_RISK } from "../lib/auth/risk/signals";

/**
 * decide() on its own (goal: under 5 µs a call). It runs in the bench's own
 * process before the server starts, over a mix of contexts that reaches
 * every branch: each action with no proof, with a fresh grant, from a
 * blocked network, escalated, restricted, and with no strong factor.
 * Absolute microseconds, unlike the HTTP scenarios: a pure function's cost
 * does not depend on a framework to compare it with.
 */

export const DECIDE_GOAL_MICROSECONDS = 5;

const CALLS_PER_ROUND = 200_000;
const ROUNDS = 7;

export interface DecideMeasurement {
  /** Median over the rounds, microseconds per call. */
  microsecondsPerCall: number;
  minMicroseconds: number;
  maxMicroseconds: number;
  calls: number;
}

export function measureDecide(): DecideMeasurement {
  const cases = decideCases(new Date("2026-12-06T12:00:00Z"));
  // Warm-up: let V8 optimise decide() before anything is timed.
  run(cases, CALLS_PER_ROUND);
  const perCall: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    run(cases, CALLS_PER_ROUND);
    perCall.push(Number(process.hrtime.bigint() - started) / 1000 / CALLS_PER_ROUND);
  }
  perCall.sort((a, b) => a - b);
  return {
    microsecondsPerCall: perCall[Math.floor(ROUNDS / 2)],
    minMicroseconds: perCall[0],
    maxMicroseconds: perCall[ROUNDS - 1],
    calls: CALLS_PER_ROUND * ROUNDS,
  };
}

/** The decisions' kinds are summed so that the calls cannot be optimised away. */
function run(cases: readonly [string, PolicyContext][], calls: number): number {
  let allowed = 0;
  for (let i = 0; i < calls; i++) {
    const [action, context] = cases[i % cases.length];
    if (decide(POLICY_TABLE, action, context).kind === "allow") allowed++;
  }
  return allowed;
}

export function decideCases(now: Date): [string, PolicyContext][] {
  const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  const session = (overrides: Partial<NonNullable<PolicyContext["session"]>> = {}): PolicyContext["session"] => ({
    id: "session",
    proofs: [{ method: "magic_link", at: minutesAgo(90) }],
    grants: [],
    restricted: false,
    ...overrides,
  });
  // An admin, so that the admin row is judged on its proof and not only refused for the role.
  const account = { role: "admin", strongFactors: ["passkey", "totp"] as const };
  const trusted = { binding: "device-key", trusted: true } as const;
  const untrusted = { binding: "device-key", trusted: false } as const;
  const noKey = { binding: "none", trusted: false } as const;
  const contexts: PolicyContext[] = [
    { now, session: session(), account, device: trusted, signals: NO_RISK },
    {
      now,
      session: session({
        grants: POLICY_ACTIONS.map((action) => ({ action, method: "passkey", grantedAt: minutesAgo(1), expiresAt: minutesAgo(-4) })),
      }),
      account,
      device: trusted,
      signals: NO_RISK,
    },
    { now, session: session(), account, device: untrusted, signals: NO_RISK },
    { now, session: session(), account, device: noKey, signals: { ...NO_RISK, blockedNetwork: true } },
    { now, session: session(), account, device: trusted, signals: { ...NO_RISK, newDevice: true, anonymizer: true, impossibleTravel: true } },
    { now, session: session({ restricted: true }), account: { role: "user", strongFactors: [] }, device: noKey, signals: NO_RISK },
    { now, session: null, account: { role: "user", strongFactors: [] }, device: noKey, signals: { ...NO_RISK, newDevice: true, recentFailures: 7 } },
  ];
  return POLICY_ACTIONS.flatMap((action) => contexts.map((context): [string, PolicyContext] => [action, context]));
}
