import { RateLimiterPostgres, RateLimiterRes, RateLimiterSQLite, type RateLimiterAbstract } from "rate-limiter-flexible";
import { hotPath, type Db } from "../../db/client";
import type { HotPathStore } from "../../db/hot-path/types";

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
  /**
   * Sign-in emails to one address asked for from one network (IPv4 /24,
   * IPv6 /64, see networkLimitKeyOf in request-context.ts): the tight limit, so that someone asking
   * for a victim's address from their own network uses up only their own
   * share, not the victim's.
   */
  requestPerAddressNetwork: { points: 5, durationSeconds: 15 * 60 },
  /** Sign-in emails to one address from all networks together: what keeps a mailbox from being flooded. */
  requestPerAddress: { points: 20, durationSeconds: 15 * 60 },
  /** Re-confirmation codes for one signed-in account (only its own sessions can ask, so apart from sign-in's). */
  reauthRequestPerUser: { points: 5, durationSeconds: 15 * 60 },
  /** Sign-in emails asked for from one IP (NAT-friendly: ≥ 50 per 15 min). */
  requestPerIp: { points: 100, durationSeconds: 15 * 60 },
  /** Redemptions and code checks from one IP. */
  verifyPerIp: { points: 100, durationSeconds: 15 * 60 },
  /** Passkey sign-in starts from one IP: each writes a challenge row, and autofill starts one per page view. */
  passkeyBeginPerIp: { points: 300, durationSeconds: 15 * 60 },
  /** Wrong codes for one address across all its challenges (B4 §3.2.2 caps it at 100). */
  codeFailuresPerAddress: { points: 20, durationSeconds: 24 * 60 * 60 },
  /**
   * Failed step-ups (a wrong authenticator-app code, a passkey that did not
   * verify) on one account: beyond an app's own lock, what stops guessing
   * across its apps, and a risk signal (lib/auth/risk/risk-assessor.ts).
   */
  proofFailuresPerUser: { points: 10, durationSeconds: 15 * 60 },
  /**
   * Device keys registered by one account: a browser registers one when it
   * has none, so an honest account needs a few a day; each writes a row.
   */
  deviceRegistrationsPerUser: { points: 10, durationSeconds: 60 * 60 },
  /** Device-proof challenges one session asks for: a tab proves every few minutes; each writes a row. */
  deviceChallengesPerSession: { points: 60, durationSeconds: 15 * 60 },
} as const;

export type LimitName = keyof typeof RATE_LIMITS;

export type LimitOutcome =
  | { ok: true }
  | { ok: false; reason: "limited"; retryAfterSeconds: number }
  | { ok: false; reason: "unavailable" };

/** One limit: at most `points` attempts per key in a fixed window of `durationSeconds`. */
export interface LimitDefinition {
  points: number;
  durationSeconds: number;
}

/** The limits of one table of definitions (RATE_LIMITS by default), each looked up by its name. */
export interface RateLimits<Name extends string = LimitName> {
  /** Counts one attempt under `name` for `key`. */
  consume(name: Name, key: string): Promise<LimitOutcome>;
  /** Whether `key` is already over `name`'s limit, without counting. */
  check(name: Name, key: string): Promise<LimitOutcome>;
  /**
   * Gives back one attempt counted under `name` for `key` (an attempt
   * counted before it was known to be a failure turned out right). Best
   * effort: a broken store leaves the attempt counted, the stricter side.
   */
  refund(name: Name, key: string): Promise<void>;
  /**
   * How many attempts are counted under `name` for `key` in its current
   * window: a risk signal, not a limit, so 0 when the store cannot say.
   */
  used(name: Name, key: string): Promise<number>;
}

/** rate-limiter-flexible's table (prisma: RateLimitCounter); keys carry each limit's name as a prefix. */
const TABLE = "rate_limit_counters";

export function databaseRateLimits(db: Db): RateLimits {
  return databaseRateLimitsFor(db, RATE_LIMITS);
}

/**
 * Database-backed limits for any table of definitions, so that code outside
 * the auth core (the demo product, lib/product/product-limits.ts) defines
 * its own limits without the core knowing them. Every table shares one
 * database table: its names must not repeat another table's, since each
 * name is its keys' prefix. Build it once per process and database.
 */
export function databaseRateLimitsFor<Name extends string>(
  db: Db,
  definitions: Readonly<Record<Name, LimitDefinition>>,
): RateLimits<Name> {
  const store = hotPath(db);
  let building: Promise<Map<Name, RateLimiterAbstract>> | null = null;
  let built: Map<Name, RateLimiterAbstract> | null = null;

  // Not async: once the limiters exist and the connection is free, the
  // lookup costs no promise (every sign-in request makes one or two).
  function limiterFor(name: Name): RateLimiterAbstract | Promise<RateLimiterAbstract> {
    if (!built) return limiterOnceBuilt(name);
    const limiter = built.get(name) as RateLimiterAbstract;
    const waiting = store.whenIdle();
    return waiting ? waiting.then(() => limiter) : limiter;
  }

  async function limiterOnceBuilt(name: Name): Promise<RateLimiterAbstract> {
    // Built on first use: on SQLite the store is Prisma's connection, which opens lazily.
    building ??= buildLimiters(store, definitions).then(
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
    async used(name, key) {
      try {
        const state = await (await limiterFor(name)).get(key);
        return state?.consumedPoints ?? 0;
      } catch {
        return 0;
      }
    },
  };
}

// Shared by every allowed attempt, so frozen: no caller can change what the next one is told.
const ALLOWED: LimitOutcome = Object.freeze({ ok: true });

async function buildLimiters<Name extends string>(
  store: HotPathStore,
  definitions: Readonly<Record<Name, LimitDefinition>>,
): Promise<Map<Name, RateLimiterAbstract>> {
  const backend = await store.rateLimiterStore();
  const limiters = new Map<Name, RateLimiterAbstract>();
  for (const [name, limit] of Object.entries(definitions) as [Name, LimitDefinition][]) {
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
