import { describe, expect, it } from "vitest";
import { NO_RISK, riskSignalsFrom, type GeoPosition, type RiskFacts, type RiskSignals } from "./signals";

const PARIS: GeoPosition = { latitude: 48.8566, longitude: 2.3522 };
const LONDON: GeoPosition = { latitude: 51.5074, longitude: -0.1278 };
const T0 = new Date("2026-03-01T12:00:00Z");
const TEN_MINUTES_LATER = new Date(T0.getTime() + 10 * 60 * 1000);
const TWO_HOURS_LATER = new Date(T0.getTime() + 2 * 60 * 60 * 1000);

/** A returning user on a known device, signing in from where they did last time. */
const usual: RiskFacts = {
  inBlockedNetwork: false,
  fromAnonymizer: false,
  knownDevice: true,
  current: { country: "FR", position: PARIS, at: TWO_HOURS_LATER },
  previous: { position: PARIS, at: T0 },
  recentCountries: ["FR"],
  recentFailures: 0,
};

describe("riskSignalsFrom", () => {
  it("a usual sign-in carries no risk", () => {
    expect(riskSignalsFrom(usual)).toEqual(NO_RISK);
  });

  it("NO_RISK is all false and zero, and cannot be changed by a caller", () => {
    expect(Object.values(NO_RISK).every((value) => value === false || value === 0)).toBe(true);
    expect(Object.isFrozen(NO_RISK)).toBe(true);
  });

  it.each<[string, Partial<RiskFacts>, Partial<RiskSignals>]>([
    ["blockedNetwork: the blocked list matched", { inBlockedNetwork: true }, { blockedNetwork: true }],
    ["anonymizer: the anonymizer list matched", { fromAnonymizer: true }, { anonymizer: true }],
    ["newDevice: the device is not known", { knownDevice: false }, { newDevice: true }],
    ["recentFailures: passed through", { recentFailures: 4 }, { recentFailures: 4 }],
    ["recentRecovery: passed through", { recentRecovery: true }, { recentRecovery: true }],
    [
      "newCountry: none of the recent countries",
      { current: { country: "GB", position: LONDON, at: TWO_HOURS_LATER }, recentCountries: ["FR", "DE"] },
      { newCountry: true },
    ],
    [
      "impossibleTravel: Paris to London in ten minutes",
      { current: { country: "FR", position: LONDON, at: TEN_MINUTES_LATER } },
      { impossibleTravel: true },
    ],
  ])("%s", (_name, change, expected) => {
    expect(riskSignalsFrom({ ...usual, ...change })).toEqual({ ...NO_RISK, ...expected });
  });

  describe("newCountry", () => {
    const withCountries = (country: string | null, recentCountries: (string | null)[]) =>
      riskSignalsFrom({ ...usual, current: { ...usual.current, country }, recentCountries }).newCountry;

    it("is false when the country is one of the recent ones, whatever its case", () => {
      expect(withCountries("GB", ["FR", "GB"])).toBe(false);
      expect(withCountries("gb", ["GB"])).toBe(false);
    });

    it("is false when either side is unknown: no country now, or no known country before", () => {
      expect(withCountries(null, ["FR"])).toBe(false);
      expect(withCountries("GB", [])).toBe(false);
      expect(withCountries("GB", [null, null])).toBe(false);
    });

    it("ignores unknown entries among known ones", () => {
      expect(withCountries("GB", [null, "FR"])).toBe(true);
    });
  });

  describe("impossibleTravel", () => {
    const travel = (previous: RiskFacts["previous"], position: GeoPosition | null) =>
      riskSignalsFrom({ ...usual, previous, current: { ...usual.current, position, at: TEN_MINUTES_LATER } })
        .impossibleTravel;

    it("is false for a first sign-in or a missing position on either side", () => {
      expect(travel(null, LONDON)).toBe(false);
      expect(travel({ position: null, at: T0 }, LONDON)).toBe(false);
      expect(travel({ position: PARIS, at: T0 }, null)).toBe(false);
    });

    it("is true only when the speed is beyond reach", () => {
      expect(travel({ position: PARIS, at: T0 }, LONDON)).toBe(true);
      expect(travel({ position: PARIS, at: new Date(T0.getTime() - 60 * 60 * 1000) }, LONDON)).toBe(false);
    });
  });
});
