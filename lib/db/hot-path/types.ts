import type { Statement } from "better-sqlite3";
import type { Pool } from "pg";

import type {
  AccountStore,
  AuditStore,
  DeviceStore,
  EmailChallengeStore,
  GrantStore,
  PasskeyStore,
  SessionStore,
  TotpFactorStore,
  WebAuthnChallengeStore,
} from "../../auth/store/types";
import type { OutboxStore } from "../../delivery/outbox-store";

/**
 * The few store methods every sign-in and every signed-in request calls,
 * in plain SQL on the driver Prisma itself uses (README.md says why and
 * what it buys). Each is the method of the same name in lib/auth/store's
 * interfaces, so auth-store.ts can put them in place of the Prisma
 * reference's; the store contract suite holds the two to the same
 * behaviour.
 *
 * Two implementations: sqlite.ts (synchronous better-sqlite3, on a
 * connection of its own) and postgres.ts (pg, on Prisma's own pool).
 */
export interface HotPathStore {
  readonly provider: "sqlite" | "postgresql";

  readonly emailChallenges: Pick<
    EmailChallengeStore,
    "issueSignIn" | "findByTokenHash" | "findById" | "reserveCodeAttempt" | "redeemSignIn"
  >;
  readonly sessions: Pick<SessionStore, "findByTokenHash" | "touch">;
  readonly accounts: Pick<AccountStore, "findByEmail">;
  /** What the policy's guard reads on every protected request (lib/auth/step-up/policy-context.ts). */
  readonly grants: Pick<GrantStore, "listActive">;
  readonly passkeys: Pick<PasskeyStore, "countForUser">;
  readonly totpFactors: Pick<TotpFactorStore, "listConfirmed">;
  /** A passkey sign-in's challenge, and what every bound browser sends each proof interval (lib/auth/devices). */
  readonly webauthnChallenges: Pick<WebAuthnChallengeStore, "insert" | "findById" | "spend">;
  readonly devices: Pick<DeviceStore, "findForUser" | "recordSessionProof">;
  readonly audit: AuditStore;
  readonly outbox: Pick<OutboxStore, "markSent">;
  /**
   * One row of a read that the application puts on the hot path itself (the
   * demo product's file row, lib/product/file-rows.ts), so that its SQL stays
   * with the application: `text` with `?` placeholders, as the statements
   * here are written. The row comes as the driver reads it (on SQLite a time
   * is ISO text and a boolean 0 or 1).
   */
  selectOne<T>(text: string, values: readonly unknown[]): Promise<T | null>;

  /**
   * What rate-limiter-flexible's SQLite or PostgreSQL store needs to keep its
   * counters on this database (lib/auth/core/rate-limits.ts). On SQLite, call
   * `whenIdle` before each use.
   */
  rateLimiterStore(): Promise<RateLimiterStore>;
  /**
   * Nothing (not even a promise) when the rate limiter's store can be used
   * right now, otherwise a promise that resolves once it can: every sign-in
   * request asks, and every promise is taxed by Next.js's async context
   * tracking.
   */
  whenIdle(): Promise<void> | undefined;

  /** Lets go of what the hot path opened itself: the SQLite connection, or the PostgreSQL pool if Prisma never ended it. */
  close(): Promise<void>;
}

export type RateLimiterStore =
  | { provider: "sqlite"; client: SqliteStoreClient }
  | { provider: "postgresql"; pool: Pool };

/** The part of a better-sqlite3 Database that RateLimiterSQLite uses. */
export interface SqliteStoreClient {
  prepare(text: string): Statement;
  transaction<T>(body: () => T): () => T;
}
