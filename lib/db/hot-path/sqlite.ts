import type { Database, Statement } from "better-sqlite3";
import * as sql from "./statements";
import type { ChallengeRow, HotPathStore } from "./types";

/**
 * The hot path on SQLite: prepared statements on the very connection Prisma
 * uses, run synchronously. A transaction here is a plain function call, so
 * no other request's code runs inside it; and before each call we wait until
 * Prisma has no transaction open on the connection, so that our statements
 * never become part of someone else's transaction (and roll back with it).
 */

/** Waiting longer than this for Prisma to finish a transaction means something is stuck: fail closed. */
const IDLE_WAIT_LIMIT_MS = 5_000;

/** Prisma's adapter stores DateTime as ISO 8601 text with an explicit +00:00. */
export function sqliteTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/** Resolves once no transaction is open on the connection; fails closed if one stays open too long. */
export async function untilNoTransaction(database: Database): Promise<void> {
  const started = Date.now();
  while (database.inTransaction) {
    if (Date.now() - started > IDLE_WAIT_LIMIT_MS) throw new Error("SQLITE_BUSY: database is locked by a transaction");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface SqliteConnection {
  /** Prisma's better-sqlite3 handle, or null until Prisma has connected. */
  current(): Database | null;
  /** Connects Prisma (it opens lazily) and returns its handle. */
  open(): Promise<Database>;
}

export function sqliteHotPath(connection: SqliteConnection): HotPathStore {
  // Per connection: Prisma may reconnect, and a statement belongs to one connection.
  const statementsByDatabase = new WeakMap<Database, Map<string, Statement>>();

  /**
   * The connection, once no transaction of Prisma's is open on it. Not an
   * async function: in the usual case (connected, idle) it costs no promise,
   * and every promise is taxed by Next.js's async context tracking.
   */
  function idle(): Database | Promise<Database> {
    const database = connection.current();
    if (database && !database.inTransaction) return database;
    return waitUntilIdle();
  }

  async function waitUntilIdle(): Promise<Database> {
    const database = connection.current() ?? (await connection.open());
    await untilNoTransaction(database);
    return database;
  }

  function prepared(database: Database, text: string): Statement {
    let statements = statementsByDatabase.get(database);
    if (!statements) {
      statements = new Map();
      statementsByDatabase.set(database, statements);
    }
    let statement = statements.get(text);
    if (!statement) {
      // Prisma turns on safe integers for this connection; our columns fit in a double.
      statement = database.prepare(text).safeIntegers(false);
      statements.set(text, statement);
    }
    return statement;
  }

  const run = (database: Database, text: string, values: unknown[]) => prepared(database, text).run(...values).changes;
  const get = <T>(database: Database, text: string, values: unknown[]) =>
    prepared(database, text).get(...values) as T | undefined;
  const all = <T>(database: Database, text: string, values: unknown[]) => prepared(database, text).all(...values) as T[];

  return {
    provider: "sqlite",

    async rateLimiterStore() {
      const database = connection.current() ?? (await connection.open());
      return {
        provider: "sqlite",
        client: {
          // Cached, and answering numbers: the library's arithmetic does not expect BigInt.
          prepare: (text) => prepared(database, text),
          transaction: (body) => database.transaction(body),
        },
      };
    },

    async whenIdle() {
      await idle();
    },

    async findSession(tokenHash) {
      const row = get<sql.RawSession<string>>(await idle(), sql.SELECT_SESSION, [tokenHash]);
      return row ? sql.sessionFrom(row, (text) => new Date(text)) : null;
    },

    async touchSession(sessionId, lastSeenAt, expires) {
      run(await idle(), sql.TOUCH_SESSION, [sqliteTime(lastSeenAt), sqliteTime(expires), sessionId]);
    },

    async issueSignInChallenge(challenge, email) {
      const database = await idle();
      database.transaction(() => {
        const voided = all<{ failedCodeAttempts: number }>(database, sql.VOID_PENDING_SIGN_IN_CHALLENGES, [
          challenge.email,
          sqliteTime(challenge.createdAt),
        ]);
        const user = get<{ id: string }>(database, sql.SELECT_USER_ID_BY_EMAIL, [challenge.email]);
        const carried = Math.max(0, ...voided.map((row) => row.failedCodeAttempts));
        run(database, sql.INSERT_CHALLENGE, sql.challengeValues(challenge, user?.id ?? null, carried, sqliteTime));
        run(database, sql.INSERT_CLAIMED_EMAIL, sql.emailValues(email, sqliteTime));
      })();
    },

    async findChallengeByTokenHash(tokenHash) {
      const row = get<RawChallenge>(await idle(), sql.SELECT_CHALLENGE_BY_TOKEN_HASH, [tokenHash]);
      return row ? challengeFrom(row) : null;
    },

    async findChallengeById(id) {
      const row = get<RawChallenge>(await idle(), sql.SELECT_CHALLENGE_BY_ID, [id]);
      return row ? challengeFrom(row) : null;
    },

    async redeemChallenge(input) {
      const database = await idle();
      const now = sqliteTime(input.now);
      return database.transaction(() => {
        const limit = input.codeFailureLimit ?? sql.NO_CODE_FAILURE_LIMIT;
        if (run(database, sql.REDEEM_CHALLENGE, [now, input.challengeId, now, limit]) !== 1) return null;
        const created = get<{ id: string }>(database, sql.INSERT_USER_IF_NEW, [
          input.newUserId, input.email, now, input.locale, now, now,
        ]);
        const userId = created?.id ?? get<{ id: string }>(database, sql.REFRESH_USER, [now, input.locale, now, input.email])?.id;
        if (!userId) throw new Error("redeemChallenge: the account vanished while signing in");
        run(database, sql.INSERT_SESSION, sql.sessionValues(input.session, userId, sqliteTime));
        return { userId, isNewUser: created !== undefined };
      })();
    },

    async markEmailSent(id, sentAt, providerMessageId, keepBody) {
      const text = keepBody ? sql.MARK_EMAIL_SENT_KEEPING_BODY : sql.MARK_EMAIL_SENT_SCRUBBING_BODY;
      run(await idle(), text, [sqliteTime(sentAt), providerMessageId, id]);
    },

    // The connection is Prisma's, closed by its $disconnect.
    async close() {},

    async insertAuditEvents(events) {
      if (events.length === 0) return;
      run(await idle(), sql.insertAuditEventsStatement(events.length), sql.auditValues(events, sqliteTime));
    },
  };
}

type RawChallenge = Omit<ChallengeRow, "expiresAt"> & { expiresAt: string };

function challengeFrom(row: RawChallenge): ChallengeRow {
  return { ...row, expiresAt: new Date(row.expiresAt) };
}
