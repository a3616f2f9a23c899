import { describe, expect, it } from "vitest";
import { flagsReadBy } from "../policy/decide";
import { POLICY_TABLE } from "../policy/policy-table";
import type { RiskFlag } from "../policy/types";
import { requestContext } from "../testing/harness";
import type { SignInRecord } from "../store/types";
import type { GeoLocator } from "./geo";
import { parseNetworkList } from "./network-list";
import { createRiskAssessor } from "./risk-assessor";

/**
 * The assessor reads only what the action's row asks about: the account's
 * history and failure counters cost a query each, and a row that reads only
 * the network (a private file) must not pay for them on every request.
 */

const NOW = new Date("2026-12-06T12:00:00Z");
const USER = { id: "user-1", email: "ada@example.com" };
const ELSEWHERE: SignInRecord = {
  createdAt: new Date("2026-12-06T11:50:00Z"),
  userAgentClass: "mobile: Safari · iOS",
  country: "AU",
  latitude: -33.8688,
  longitude: 151.2093,
};

function assessorWithHistory(signIns: SignInRecord[], failures: number) {
  const reads = { history: 0, counters: 0 };
  const geo: GeoLocator = {
    locate: () => ({ country: "FR", position: { latitude: 48.8566, longitude: 2.3522 } }),
    load: () => undefined,
  };
  const assessor = createRiskAssessor({
    blockedNetworks: parseNetworkList("203.0.113.0/24", "test"),
    anonymizers: parseNetworkList("", "test"),
    geo,
    sessions: {
      async listRecentSignIns() {
        reads.history += 1;
        return signIns;
      },
    },
    limits: {
      async used() {
        reads.counters += 1;
        return failures;
      },
    },
  });
  return { assessor, reads };
}

describe("the risk assessor, asked for some flags", () => {
  const request = requestContext({ ip: "203.0.113.9" });

  it("reads neither history nor counters for a row that asks about the network only", async () => {
    const { assessor, reads } = assessorWithHistory([ELSEWHERE], 9);
    const signals = await assessor.assess({ user: USER, request, now: NOW, flags: flagsReadBy(POLICY_TABLE, "file.view_private") });
    expect(reads).toEqual({ history: 0, counters: 0 });
    // What was asked is answered; the rest is "nothing known", never a guess.
    expect(signals).toMatchObject({ blockedNetwork: true, newDevice: false, newCountry: false, impossibleTravel: false, recentFailures: 0 });
  });

  it("reads the history, and only it, for a row about travel", async () => {
    const { assessor, reads } = assessorWithHistory([ELSEWHERE], 9);
    const signals = await assessor.assess({ user: USER, request, now: NOW, flags: new Set<RiskFlag>(["impossibleTravel"]) });
    expect(reads).toEqual({ history: 1, counters: 0 });
    expect(signals).toMatchObject({ impossibleTravel: true, recentFailures: 0 });
  });

  it("reads everything when no flags are named (the sign-in policy, the simulator)", async () => {
    const { assessor, reads } = assessorWithHistory([ELSEWHERE], 3);
    const signals = await assessor.assess({ user: USER, request, now: NOW });
    expect(reads).toEqual({ history: 1, counters: 2 });
    expect(signals).toMatchObject({ newDevice: true, newCountry: true, impossibleTravel: true, recentFailures: 6 });
  });

  it("reads nothing of an address that has no account yet", async () => {
    const { assessor, reads } = assessorWithHistory([ELSEWHERE], 3);
    expect(await assessor.assess({ user: null, request, now: NOW })).toMatchObject({ newDevice: false, recentFailures: 0 });
    expect(reads).toEqual({ history: 0, counters: 0 });
  });
});

describe("flagsReadBy", () => {
  it("lists a row's deny, escalate and notify flags, and nothing for an unknown action", () => {
    expect([...flagsReadBy(POLICY_TABLE, "file.view_private")]).toEqual(["blockedNetwork"]);
    expect(new Set(flagsReadBy(POLICY_TABLE, "payout.change"))).toEqual(
      new Set(["blockedNetwork", "recentRecovery", "anonymizer", "impossibleTravel"]),
    );
    expect(new Set(flagsReadBy(POLICY_TABLE, "sign_in"))).toEqual(
      new Set(["blockedNetwork", "impossibleTravel", "newDevice", "newCountry", "anonymizer", "manyRecentFailures"]),
    );
    expect(flagsReadBy(POLICY_TABLE, "toString").size).toBe(0);
    expect(flagsReadBy(POLICY_TABLE, "nope").size).toBe(0);
  });
});
