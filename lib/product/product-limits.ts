import { databaseRateLimitsFor, type LimitOutcome, type RateLimits } from "../auth/core/rate-limits";
import { failure, type Failure } from "../auth/core/errors";
import type { Db } from "../db/client";
import {
  DAY_SECONDS,
  HOUR_SECONDS,
  RECIPIENTS_CREATED_PER_USER_PER_DAY,
  SENDS_PER_RECIPIENT_ADDRESS_PER_DAY,
  SENDS_PER_SENDER_PER_DAY,
  SENDS_PER_SENDER_PER_HOUR,
  UPLOADS_PER_USER_PER_HOUR,
} from "./limit-rules";

export * from "./limit-rules";

/**
 * The demo product's rate limits. Anyone can create an account, so anything
 * an account can make the server do to someone else (email them) or to the
 * machine (fill its disk) is limited per account, and sending also per
 * recipient address: without these, "send a file" is an open email relay.
 *
 * Defined here, not in the auth core's RATE_LIMITS: the core does not know
 * the demo. They use the core's database-backed machinery
 * (databaseRateLimitsFor), in the same table under their own key prefixes.
 */

/** Names are key prefixes in the shared table: all start with `product` so none repeats an auth limit's. */
export const PRODUCT_RATE_LIMITS = {
  productSendPerSenderHour: { points: SENDS_PER_SENDER_PER_HOUR, durationSeconds: HOUR_SECONDS },
  productSendPerSenderDay: { points: SENDS_PER_SENDER_PER_DAY, durationSeconds: DAY_SECONDS },
  productSendPerRecipientAddress: { points: SENDS_PER_RECIPIENT_ADDRESS_PER_DAY, durationSeconds: DAY_SECONDS },
  productRecipientCreatePerUser: { points: RECIPIENTS_CREATED_PER_USER_PER_DAY, durationSeconds: DAY_SECONDS },
  productUploadPerUser: { points: UPLOADS_PER_USER_PER_HOUR, durationSeconds: HOUR_SECONDS },
} as const;

export type ProductLimitName = keyof typeof PRODUCT_RATE_LIMITS;
export type ProductLimits = RateLimits<ProductLimitName>;

/**
 * The product's limits over `db`, built once per process and database
 * client: the commands get the database from execute's dependencies
 * (production's one client, or a test's own database), and find the one
 * limiter instance for it here. Kept under a global symbol because Next.js
 * may bundle this module more than once.
 */
export function productLimitsFor(db: Db): ProductLimits {
  const registry = globalForLimits[LIMITS] ?? (globalForLimits[LIMITS] = new WeakMap());
  let limits = registry.get(db);
  if (!limits) {
    limits = databaseRateLimitsFor(db, PRODUCT_RATE_LIMITS);
    registry.set(db, limits);
  }
  return limits;
}

const LIMITS = Symbol.for("trustladder.productLimits");
const globalForLimits = globalThis as typeof globalThis & { [LIMITS]?: WeakMap<Db, ProductLimits> };

/** Counts one attempt under each limit in turn: the first refusal is RATE_LIMITED, a broken store SERVICE_UNAVAILABLE (ASVS 16.5.3). */
export async function productLimitFailure(
  limits: ProductLimits,
  attempts: readonly (readonly [ProductLimitName, string])[],
): Promise<Failure | null> {
  for (const [name, key] of attempts) {
    const refused = failureOf(await limits.consume(name, key));
    if (refused) return refused;
  }
  return null;
}

function failureOf(outcome: LimitOutcome): Failure | null {
  if (outcome.ok) return null;
  if (outcome.reason === "limited") return failure("RATE_LIMITED", { retryAfterSeconds: outcome.retryAfterSeconds });
  return failure("SERVICE_UNAVAILABLE");
}
