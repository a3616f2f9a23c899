import { failure, type Failure } from "./errors";
import type { LimitName, RateLimits } from "./rate-limits";

/** Counts one attempt; a refusal becomes RATE_LIMITED, a broken store SERVICE_UNAVAILABLE. */
export async function limitFailure(limits: RateLimits, name: LimitName, key: string): Promise<Failure | null> {
  const outcome = await limits.consume(name, key);
  if (outcome.ok) return null;
  if (outcome.reason === "limited") return failure("RATE_LIMITED", { retryAfterSeconds: outcome.retryAfterSeconds });
  return failure("SERVICE_UNAVAILABLE");
}

/** Like limitFailure, without counting: for limits counted only on failure. */
export async function limitReached(limits: RateLimits, name: LimitName, key: string): Promise<Failure | null> {
  const outcome = await limits.check(name, key);
  if (outcome.ok) return null;
  if (outcome.reason === "limited") return failure("RATE_LIMITED", { retryAfterSeconds: outcome.retryAfterSeconds });
  return failure("SERVICE_UNAVAILABLE");
}
