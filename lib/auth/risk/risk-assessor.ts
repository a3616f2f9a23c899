import { userAgentClassOf, type RequestContext } from "../core/request-context";
import type { RateLimits } from "../core/rate-limits";
import type { SessionStore } from "../store/types";
import type { RiskFlag } from "../policy/types";
import type { GeoLocation, GeoLocator } from "./geo";
import type { NetworkList } from "./network-list";
import { riskSignalsFrom, type RiskSignals } from "./signals";

/**
 * Gathers one request's risk signals (signals.ts) from what the server
 * knows: the configured network lists, where the request comes from, and
 * the account's recent sign-ins and failures. The policy (lib/auth/policy)
 * then judges them as plain data.
 */
export interface RiskAssessor {
  /** The request's country and position: the trusted edge's word first, the IP databases for the rest. */
  locate(request: RequestContext): GeoLocation;
  /**
   * The signals for this account (null: an address signing in for the first
   * time) and request, at `now`. `flags`: only these are asked about (the
   * action's row, lib/auth/policy/decide.ts flagsReadBy); the account's
   * history and failure counters are read only when one of them needs it,
   * and a signal nobody asked about is left at "nothing known". Omitted:
   * every signal.
   */
  assess(input: {
    user: { id: string; email: string } | null;
    request: RequestContext;
    now: Date;
    flags?: ReadonlySet<RiskFlag>;
  }): Promise<RiskSignals>;
}

/** The flags that compare this request with the account's earlier sign-ins. */
const HISTORY_FLAGS: readonly RiskFlag[] = ["newDevice", "newCountry", "impossibleTravel"];

/** How far back a sign-in counts as this account's history (countries, devices). */
export const RISK_HISTORY_DAYS = 90;
/** At most this many earlier sign-ins are compared with: the newest ones. */
export const RISK_HISTORY_SIGN_INS = 50;

export interface RiskSources {
  /** RISK_BLOCKED_CIDRS. */
  blockedNetworks: NetworkList;
  /** RISK_ANONYMIZER_LIST. */
  anonymizers: NetworkList;
  geo: GeoLocator;
  /** The account's sign-ins (their sessions' rows). */
  sessions: Pick<SessionStore, "listRecentSignIns">;
  /** The failure counters the ceremonies keep anyway (lib/auth/core/rate-limits.ts). */
  limits: Pick<RateLimits, "used">;
}

export function createRiskAssessor(sources: RiskSources): RiskAssessor {
  const locate = (request: RequestContext) =>
    sources.geo.locate(request.ip, { country: request.country, position: request.edgePosition });

  return {
    locate,
    async assess({ user, request, now, flags }) {
      const asked = (flag: RiskFlag) => !flags || flags.has(flag);
      const since = new Date(now.getTime() - RISK_HISTORY_DAYS * 24 * 60 * 60 * 1000);
      const needsHistory = user !== null && HISTORY_FLAGS.some(asked);
      const needsFailures = user !== null && asked("manyRecentFailures");
      const [history, wrongEmailCodes, failedStepUps] = await Promise.all([
        needsHistory ? sources.sessions.listRecentSignIns(user.id, since, RISK_HISTORY_SIGN_INS) : [],
        needsFailures ? sources.limits.used("codeFailuresPerAddress", user.email) : 0,
        needsFailures ? sources.limits.used("proofFailuresPerUser", user.id) : 0,
      ]);
      const here = locate(request);
      // The newest sign-in whose place is known: one without a position says nothing about travel.
      const previous = history.find((signIn) => positionOf(signIn) !== null);
      return riskSignalsFrom({
        inBlockedNetwork: sources.blockedNetworks.matches(request.ip),
        fromAnonymizer: sources.anonymizers.matches(request.ip),
        // Until device keys exist (the devices issue), a device is known by
        // its browser and platform having signed in to this account before: a
        // weak hint, which is why a new device alone only sends an email.
        // A first sign-in has no history, and a row that reads none of these
        // flags did not look it up: nothing to be new against.
        knownDevice: !needsHistory || history.some((signIn) => signIn.userAgentClass === userAgentClassOf(request)),
        current: { country: here.country, position: here.position, at: now },
        previous: previous ? { position: positionOf(previous), at: previous.createdAt } : null,
        recentCountries: history.map((signIn) => signIn.country),
        recentFailures: wrongEmailCodes + failedStepUps,
      });
    },
  };
}

function positionOf(row: { latitude: number | null; longitude: number | null }) {
  return row.latitude === null || row.longitude === null ? null : { latitude: row.latitude, longitude: row.longitude };
}
