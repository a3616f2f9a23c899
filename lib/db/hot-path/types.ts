import type { Statement } from "better-sqlite3";
import type { Pool } from "pg";

/**
 * The few statements every sign-in and every signed-in request runs, in
 * plain SQL on the driver Prisma itself uses (lib/db/hot-path/README.md says
 * why). Everything else in the app goes through Prisma.
 *
 * Two implementations with one contract: sqlite.ts (synchronous
 * better-sqlite3, on Prisma's own connection) and postgres.ts (pg, on
 * Prisma's own pool). The integration suites run both.
 */
export interface HotPathStore {
  readonly provider: "sqlite" | "postgresql";

  /**
   * What rate-limiter-flexible's SQLite or PostgreSQL store needs to keep its
   * counters on this database (lib/auth/core/rate-limits.ts). On SQLite, call
   * `whenIdle` before each use: the library writes on Prisma's connection.
   */
  rateLimiterStore(): Promise<RateLimiterStore>;
  /**
   * Nothing (not even a promise) when the store can be used right now,
   * otherwise a promise that resolves once it can: every sign-in request
   * asks, and every promise is taxed by Next.js's async context tracking.
   */
  whenIdle(): Promise<void> | undefined;

  /** A session and its user by the SHA-256 of the session token. */
  findSession(tokenHash: string): Promise<SessionRow | null>;
  /** Slides a session's idle expiry; a missing row is not an error. */
  touchSession(sessionId: string, lastSeenAt: Date, expires: Date): Promise<void>;

  /**
   * Issues a sign-in challenge (a link and a code): the same steps as
   * lib/auth/magic-link/code-challenge.ts takes for the code-only purposes,
   * in SQL because every sign-in request runs them, plus the link's token
   * and the asking browser's binding.
   *
   * In one transaction: voids the address's pending, unexpired sign-in
   * challenges from the same browser (the new one inherits their highest
   * wrong-code count), links the challenge to an existing account, and
   * writes the challenge and its email. The email row is written already
   * claimed for its first attempt, which the caller makes at once
   * (lib/delivery/outbox.ts).
   */
  issueSignInChallenge(challenge: NewChallenge, email: NewOutboxEmail): Promise<void>;

  /** Only a sign-in link has a token: a code-only challenge (null tokenHash) is never found here. */
  findChallengeByTokenHash(tokenHash: string): Promise<ChallengeRow | null>;
  findChallengeById(id: string): Promise<ChallengeRow | null>;

  /**
   * Takes one code attempt of a pending, unexpired challenge (of any
   * purpose) whose wrong-code count is below `limit`, in one conditional
   * update: the count after it, or null when no attempt was left to take.
   * The code is compared only after this answered a number.
   */
  reserveCodeAttempt(challengeId: string, now: Date, limit: number): Promise<number | null>;

  /**
   * In one transaction: marks the challenge redeemed if it still is pending
   * and unexpired (giving back a code's reserved attempt); creates or
   * refreshes the account; creates the session; inserts its audit event.
   * Null when the challenge was not redeemable any more, and then nothing
   * was written; a failing insert (the audit event's too) writes nothing.
   */
  redeemChallenge(input: Redemption): Promise<{ userId: string; isNewUser: boolean } | null>;

  /** The first attempt went out: the row becomes sent (its body scrubbed unless kept). */
  markEmailSent(id: string, sentAt: Date, providerMessageId: string | null, keepBody: boolean): Promise<void>;

  insertAuditEvents(events: readonly AuditRow[]): Promise<void>;

  /**
   * Lets go of what the hot path opened itself, after Prisma's `$disconnect`:
   * the PostgreSQL pool, when Prisma never connected and so never ended it.
   */
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

export interface SessionRow {
  id: string;
  aal: number;
  methods: string;
  userAgentClass: string;
  country: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expires: Date;
  absoluteExpiresAt: Date;
  user: { id: string; email: string; role: string; locale: string | null };
}

/**
 * A row of MagicLinkChallenge, the store of every emailed-code challenge
 * (prisma/sqlite/schema.prisma): `purpose` says which kind it is.
 */
export interface ChallengeRow {
  id: string;
  email: string;
  status: string;
  expiresAt: Date;
  /** A sign-in link's only; null (a code-only purpose) never matches a binding. */
  bindingHash: string | null;
  codeHash: string;
  failedCodeAttempts: number;
  locale: string;
  callbackPath: string;
  purpose: string;
}

/** A new sign-in challenge: unlike the code-only purposes, it has a link token and a binding. */
export interface NewChallenge {
  id: string;
  email: string;
  tokenHash: string;
  codeHash: string;
  bindingHash: string;
  locale: string;
  callbackPath: string;
  requestUserAgent: string;
  requestCountry: string | null;
  createdAt: Date;
  expiresAt: Date;
}

export interface NewOutboxEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  locale: string;
  template: string;
  challengeId: string | null;
  /** The transport making the first attempt (the row is claimed for it). */
  transport: string;
  /** Already sent when storing the row is the delivery (the development mailbox). */
  sentAt: Date | null;
  createdAt: Date;
  /** When a background dispatcher may retry if the first attempt never reports back. */
  nextAttemptAt: Date;
}

export interface Redemption {
  challengeId: string;
  now: Date;
  /** Proved by a code, whose attempt reserveCodeAttempt took: redeeming gives it back. */
  codeAttemptReserved: boolean;
  email: string;
  locale: string;
  newUserId: string;
  session: NewSessionRow;
  /**
   * The sign-in's audit event, inserted in the same transaction: built once
   * the account is known, so a session never exists without its event
   * (issue 17 item 8, ASVS 16.3.1).
   */
  audit?: (redeemed: { userId: string; isNewUser: boolean }) => AuditRow;
}

export interface NewSessionRow {
  id: string;
  tokenHash: string;
  aal: number;
  methods: string;
  userAgentClass: string;
  country: string | null;
  createdAt: Date;
  expires: Date;
  absoluteExpiresAt: Date;
}

export interface AuditRow {
  id: string;
  at: Date;
  command: string;
  outcome: string;
  errorCode: string | null;
  userId: string | null;
  sessionId: string | null;
  ipPrefix: string | null;
  country: string | null;
  deviceClass: string | null;
  latencyMs: number;
  details: string;
}
