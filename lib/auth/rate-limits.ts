import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "../db/client";

/**
 * Rate limits, stored in the database (rate-limiter-flexible's Prisma store)
 * so that they hold across every app instance sharing it.
 *
 * Per-address limits are the tight ones: they protect a mailbox from being
 * flooded and an account from guessing. Per-IP limits are loose on purpose:
 * an office or a mobile carrier puts thousands of people behind one address.
 */
export const RATE_LIMITS = {
  /** Sign-in emails to one address. */
  requestPerAddress: { points: 5, durationSeconds: 15 * 60 },
  /** Sign-in emails asked for from one IP (NAT-friendly: ≥ 50 per 15 min). */
  requestPerIp: { points: 100, durationSeconds: 15 * 60 },
  /** Redemptions and code checks from one IP. */
  verifyPerIp: { points: 100, durationSeconds: 15 * 60 },
  /** Passkey sign-in starts from one IP: each writes a challenge row, and autofill starts one per page view. */
  passkeyBeginPerIp: { points: 300, durationSeconds: 15 * 60 },
  /** Wrong codes for one address across all its challenges (B4 §3.2.2 caps it at 100). */
  codeFailuresPerAddress: { points: 20, durationSeconds: 24 * 60 * 60 },
} as const;

export type LimitName = keyof typeof RATE_LIMITS;

export type LimitOutcome =
  | { ok: true }
  | { ok: false; reason: "limited"; retryAfterSeconds: number }
  | { ok: false; reason: "unavailable" };

export interface RateLimits {
  /** Counts one attempt under `name` for `key`. */
  consume(name: LimitName, key: string): Promise<LimitOutcome>;
  /** Whether `key` is already over `name`'s limit, without counting. */
  check(name: LimitName, key: string): Promise<LimitOutcome>;
}

export function databaseRateLimits(db: Db): RateLimits {
  const limiters = new Map(
    Object.entries(RATE_LIMITS).map(([name, limit]) => [
      name,
      new RateLimiterPrisma({
        storeClient: db,
        keyPrefix: name,
        points: limit.points,
        duration: limit.durationSeconds,
        // Expired rows are cleaned by the limiter's own timer.
        clearExpiredByTimeout: true,
      }),
    ]),
  );
  const limiterFor = (name: LimitName) => limiters.get(name) as RateLimiterPrisma;

  return {
    async consume(name, key) {
      try {
        await limiterFor(name).consume(key);
        return { ok: true };
      } catch (error) {
        return outcomeOfRejection(error);
      }
    },
    async check(name, key) {
      try {
        const state = await limiterFor(name).get(key);
        if (state && state.remainingPoints <= 0) {
          return { ok: false, reason: "limited", retryAfterSeconds: secondsFrom(state) };
        }
        return { ok: true };
      } catch {
        return { ok: false, reason: "unavailable" };
      }
    },
  };
}

// The library rejects with a RateLimiterRes when the limit is reached and
// with an Error when its store fails; the second must fail closed
// (ASVS 16.5.3), never let the request through.
function outcomeOfRejection(error: unknown): LimitOutcome {
  if (error instanceof RateLimiterRes) {
    return { ok: false, reason: "limited", retryAfterSeconds: secondsFrom(error) };
  }
  return { ok: false, reason: "unavailable" };
}

function secondsFrom(state: RateLimiterRes): number {
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}
