import { RateLimiterPostgres, RateLimiterRes, RateLimiterSQLite, type RateLimiterAbstract } from "rate-limiter-flexible";
import { hotPath, type Db } from "../db/client";
import type { HotPathStore } from "../db/hot-path/types";

/**
 * Rate limits, stored in the database so that they hold across every app
 * instance that shares it: rate-limiter-flexible's SQLite or PostgreSQL
 * store, whose one `INSERT … ON CONFLICT … RETURNING` counts an attempt
 * (its Prisma store needs a delete and an upsert through Prisma's query
 * layer: four times the cost, on every sign-in request).
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
  /**
   * Gives back one attempt counted under `name` for `key` (an attempt
   * counted before it was known to be a failure turned out right). Best
   * effort: a broken store leaves the attempt counted, the stricter side.
   */
  refund(name: LimitName, key: string): Promise<void>;
}

/** rate-limiter-flexible's table (prisma: RateLimitCounter); keys carry each limit's name as a prefix. */
const TABLE = "rate_limit_counters";

export function databaseRateLimits(db: Db): RateLimits {
  const store = hotPath(db);
  let building: Promise<Map<LimitName, RateLimiterAbstract>> | null = null;
  let built: Map<LimitName, RateLimiterAbstract> | null = null;

  // Not async: once the limiters exist and the connection is free, the
  // lookup costs no promise (every sign-in request makes one or two).
  function limiterFor(name: LimitName): RateLimiterAbstract | Promise<RateLimiterAbstract> {
    if (!built) return limiterOnceBuilt(name);
    const limiter = built.get(name) as RateLimiterAbstract;
    const waiting = store.whenIdle();
    return waiting ? waiting.then(() => limiter) : limiter;
  }

  async function limiterOnceBuilt(name: LimitName): Promise<RateLimiterAbstract> {
    // Built on first use: on SQLite the store is Prisma's connection, which opens lazily.
    building ??= buildLimiters(store).then(
      (limiters) => (built = limiters),
      (error: unknown) => {
        building = null;
        throw error;
      },
    );
    const limiters = await building;
    await store.whenIdle();
    return limiters.get(name) as RateLimiterAbstract;
  }

  return {
    async consume(name, key) {
      try {
        const limiter = limiterFor(name);
        await (limiter instanceof Promise ? limiter.then((ready) => ready.consume(key)) : limiter.consume(key));
        return ALLOWED;
      } catch (error) {
        return outcomeOfRejection(error);
      }
    },
    async check(name, key) {
      try {
        const state = await (await limiterFor(name)).get(key);
        if (state && state.remainingPoints <= 0) {
          return { ok: false, reason: "limited", retryAfterSeconds: secondsFrom(state) };
        }
        return ALLOWED;
      } catch {
        return { ok: false, reason: "unavailable" };
      }
    },
    async refund(name, key) {
      try {
        // At a window's end the library may carry the refund into the next
        // window (one extra attempt there): far inside B4 §3.2.2's 100.
        await (await limiterFor(name)).reward(key, 1);
      } catch {
        // Kept counted: the stricter outcome.
      }
    },
  };
}

// Shared by every allowed attempt, so frozen: no caller can change what the next one is told.
const ALLOWED: LimitOutcome = Object.freeze({ ok: true });

async function buildLimiters(store: HotPathStore): Promise<Map<LimitName, RateLimiterAbstract>> {
  const backend = await store.rateLimiterStore();
  const limiters = new Map<LimitName, RateLimiterAbstract>();
  for (const [name, limit] of Object.entries(RATE_LIMITS) as [LimitName, (typeof RATE_LIMITS)[LimitName]][]) {
    // The table comes from our migrations; expired rows are cleaned by the library's own timer.
    const options = { keyPrefix: name, points: limit.points, duration: limit.durationSeconds, tableName: TABLE, tableCreated: true, clearExpiredByTimeout: true };
    limiters.set(
      name,
      backend.provider === "sqlite"
        ? new RateLimiterSQLite({ ...options, storeClient: backend.client, storeType: "better-sqlite3" })
        : new RateLimiterPostgres({ ...options, storeClient: backend.pool, storeType: "pool" }),
    );
  }
  return limiters;
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
