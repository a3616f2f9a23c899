import { isImpossibleTravel } from "./travel";

/**
 * What the policy layer (lib/auth/policy) knows about the risk of one
 * sign-in or step-up, as plain data: it decides from these alone, so its
 * tests are a table of cases. Each signal comes from one module here, and
 * riskSignalsFrom assembles them from facts the caller already looked up.
 */

export interface GeoPosition {
  latitude: number;
  longitude: number;
}

export interface RiskSignals {
  /** The request's network is in RISK_BLOCKED_CIDRS. */
  blockedNetwork: boolean;
  /** The request comes from an anonymizer (e.g. a Tor exit) on the configured list. */
  anonymizer: boolean;
  /** No earlier successful sign-in of this account from this device (the caller decides how a device is known). */
  newDevice: boolean;
  /** The country differs from every country of the account's recent successful sign-ins (false when either is unknown). */
  newCountry: boolean;
  /** Speed from the last successful sign-in's position to this one above 1,000 km/h (moves under 50 km ignored; false when a position is missing). */
  impossibleTravel: boolean;
  /** Failed sign-in / step-up attempts on the account in the recent window. */
  recentFailures: number;
  /** A recovery completed recently (the recovery feature sets it later; always false for now). */
  recentRecovery: boolean;
}

/** Nothing known against the request: what a policy test starts from. */
export const NO_RISK: RiskSignals = Object.freeze({
  blockedNetwork: false,
  anonymizer: false,
  newDevice: false,
  newCountry: false,
  impossibleTravel: false,
  recentFailures: 0,
  recentRecovery: false,
});

/** The facts the signals are made of, each already looked up by the caller. */
export interface RiskFacts {
  /** The blocked-network list's answer for the request's IP (network-list.ts). */
  inBlockedNetwork: boolean;
  /** The anonymizer list's answer for the request's IP (anonymizers.ts). */
  fromAnonymizer: boolean;
  /** Whether this device has completed a sign-in of this account before. */
  knownDevice: boolean;
  /** This request: its country and position (geo.ts), and the clock's time. */
  current: { country: string | null; position: GeoPosition | null; at: Date };
  /** The account's last successful sign-in, or null for its first. */
  previous: { position: GeoPosition | null; at: Date } | null;
  /** ISO countries of the account's recent successful sign-ins; the caller decides how far back "recent" is. */
  recentCountries: readonly (string | null)[];
  /** Failed sign-in and step-up attempts on the account in the recent window. */
  recentFailures: number;
  /** A recovery completed recently; false until the recovery feature exists. */
  recentRecovery?: boolean;
}

export function riskSignalsFrom(facts: RiskFacts): RiskSignals {
  const { current, previous } = facts;
  return {
    blockedNetwork: facts.inBlockedNetwork,
    anonymizer: facts.fromAnonymizer,
    newDevice: !facts.knownDevice,
    newCountry: isNewCountry(current.country, facts.recentCountries),
    impossibleTravel: isImpossibleTravel(
      previous?.position ? { position: previous.position, at: previous.at } : null,
      current,
    ),
    recentFailures: facts.recentFailures,
    recentRecovery: facts.recentRecovery ?? false,
  };
}

/**
 * New only against a known history: a first sign-in, or one whose earlier
 * countries were all unknown, has nothing to differ from.
 */
function isNewCountry(country: string | null, recentCountries: readonly (string | null)[]): boolean {
  const known = recentCountries.filter((code): code is string => Boolean(code)).map((code) => code.toUpperCase());
  if (!country || known.length === 0) return false;
  return !known.includes(country.toUpperCase());
}
