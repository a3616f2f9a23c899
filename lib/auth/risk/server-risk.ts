import type { Env } from "../../env";
import type { RateLimits } from "../core/rate-limits";
import type { SessionStore } from "../store/types";
import { loadAnonymizerList } from "./anonymizers";
import { createGeoLocator } from "./geo";
import { parseNetworkList } from "./network-list";
import { createRiskAssessor, type RiskAssessor } from "./risk-assessor";

/**
 * The production risk sources, from lib/env.ts. The anonymizer file and the
 * IP databases are read here, once: a path that cannot be read stops the
 * start (lib/server-start.ts builds this first) instead of quietly letting
 * every request through as "no risk".
 */
export function riskAssessorFromEnv(
  config: Pick<Env, "RISK_BLOCKED_CIDRS" | "anonymizerListPath" | "countryDbPath" | "cityDbPath">,
  history: { sessions: Pick<SessionStore, "listRecentSignIns">; limits: Pick<RateLimits, "used"> },
): RiskAssessor {
  const geo = createGeoLocator({ countryDbPath: config.countryDbPath, cityDbPath: config.cityDbPath });
  geo.load();
  return createRiskAssessor({
    blockedNetworks: parseNetworkList(config.RISK_BLOCKED_CIDRS, "RISK_BLOCKED_CIDRS"),
    anonymizers: loadAnonymizerList(config.anonymizerListPath),
    geo,
    ...history,
  });
}
