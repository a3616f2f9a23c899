import type { Database, Statement } from "better-sqlite3";
import { writeGroupsOf } from "./sqlite-write-group";
import * as sql from "./statements";
import type { ChallengeRow, HotPathStore } from "./types";

/**
 * The hot path on SQLite: prepared statements on the very connection Prisma
 * uses, run synchronously, so no other request's code runs in the middle of
 * one unit of work. Writes are grouped: every request's writes in one turn
 * of the event loop share one commit (sqlite-write-group.ts). Before each
 * call we wait until Prisma has no transaction open on the connection, so
 * that our statements never become part of someone else's transaction (and
 * roll back with it).
 */

/** Prisma's adapter stores DateTime as ISO 8601 text with an explicit +00:00. */
export function sqliteTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
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
   * The connection, once no transaction of Prisma's is open on it (one of
   * our write groups may be: its units are ours). Not an async function: in
   * the usual case it costs no promise, and every promise is taxed by
   * Next.js's async context tracking.
   */
  function ready(): Database | Promise<Database> {
    const database = connection.current();
    if (database && (!database.inTransaction || writeGroupsOf(database).open)) return database;
    return whenReady();
  }

  async function whenReady(): Promise<Database> {
    const database = connection.current() ?? (await connection.open());
    await writeGroupsOf(database).untilNoForeignTransaction();
    return database;
  }

  /** Runs `work` as one unit of the connection's current write group; resolves once it is committed. */
  async function write<T>(work: (database: Database) => T): Promise<T> {
    const database = await ready();
    return writeGroupsOf(database).write(() => work(database));
  }

  /** `rowsAs: "values"` answers rows as arrays of column values, in the SELECT's order. */
  function prepared(database: Database, text: string, rowsAs: "objects" | "values" = "objects"): Statement {
    let statements = statementsByDatabase.get(database);
    if (!statements) {
      statements = new Map();
      statementsByDatabase.set(database, statements);
    }
    const key = rowsAs === "values" ? `values:${text}` : text;
    let statement = statements.get(key);
    if (!statement) {
      // Prisma turns on safe integers for this connection; our columns fit in a double.
      statement = database.prepare(text).safeIntegers(false);
      if (rowsAs === "values") statement.raw(true);
      statements.set(key, statement);
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
          // The library wraps its one statement (an INSERT … ON CONFLICT …
          // RETURNING) in a transaction of its own; here it becomes a unit
          // of the current write group instead, so a sign-in request's two
          // counted attempts share the request's commit. It runs a tick after
          // `whenIdle`, so a Prisma transaction may have opened meanwhile: an
          // attempt counted inside it would vanish with its rollback, so the
          // store then reports itself unavailable (the limit fails closed,
          // lib/auth/core/rate-limits.ts). hot-path.test.ts checks the counts.
          transaction: (body) => () => writeGroupsOf(database).writeNow(body),
        },
      };
    },

    whenIdle() {
      const database = ready();
      return database instanceof Promise ? database.then(() => undefined) : undefined;
    },

    async findSession(tokenHash) {
      const statement = prepared(await ready(), sql.SELECT_SESSION, "values");
      const values = statement.get(tokenHash) as sql.SessionValues<string> | undefined;
      return values ? sql.sessionFrom(values, (text) => new Date(text)) : null;
    },

    async touchSession(sessionId, lastSeenAt, expires) {
      await write((database) => run(database, sql.TOUCH_SESSION, [sqliteTime(lastSeenAt), sqliteTime(expires), sessionId]));
    },

    async issueSignInChallenge(challenge, email) {
      await write((database) => {
        const voided = all<{ failedCodeAttempts: number }>(database, sql.VOID_PENDING_SIGN_IN_CHALLENGES, sql.voidValues(challenge, sqliteTime));
        const user = get<{ id: string }>(database, sql.SELECT_USER_ID_BY_EMAIL, [challenge.email]);
        const carried = Math.max(0, ...voided.map((row) => row.failedCodeAttempts));
        run(database, sql.INSERT_CHALLENGE, sql.challengeValues(challenge, user?.id ?? null, carried, sqliteTime));
        run(database, sql.INSERT_CLAIMED_EMAIL, sql.emailValues(email, sqliteTime));
      });
    },

    async findChallengeByTokenHash(tokenHash) {
      const row = get<RawChallenge>(await ready(), sql.SELECT_CHALLENGE_BY_TOKEN_HASH, [tokenHash]);
      return row ? challengeFrom(row) : null;
    },

    async findChallengeById(id) {
      const row = get<RawChallenge>(await ready(), sql.SELECT_CHALLENGE_BY_ID, [id]);
      return row ? challengeFrom(row) : null;
    },

    async reserveCodeAttempt(challengeId, now, limit) {
      const row = await write((database) =>
        get<{ failedCodeAttempts: number }>(database, sql.RESERVE_CODE_ATTEMPT, [challengeId, sqliteTime(now), limit]),
      );
      return row ? row.failedCodeAttempts : null;
    },

    async redeemChallenge(input) {
      const now = sqliteTime(input.now);
      return write((database) => {
        if (run(database, sql.REDEEM_CHALLENGE, sql.redeemValues(input, now)) !== 1) return null;
        const created = get<{ id: string }>(database, sql.INSERT_USER_IF_NEW, [
          input.newUserId, input.email, now, input.locale, now, now,
        ]);
        const userId = created?.id ?? get<{ id: string }>(database, sql.REFRESH_USER, [now, input.locale, now, input.email])?.id;
        if (!userId) throw new Error("redeemChallenge: the account vanished while signing in");
        run(database, sql.INSERT_SESSION, sql.sessionValues(input.session, userId, sqliteTime));
        const redeemed = { userId, isNewUser: created !== undefined };
        if (input.audit) run(database, sql.INSERT_AUDIT_EVENT, sql.auditValues([input.audit(redeemed)], sqliteTime));
        return redeemed;
      });
    },

    async markEmailSent(id, sentAt, providerMessageId, keepBody) {
      const text = keepBody ? sql.MARK_EMAIL_SENT_KEEPING_BODY : sql.MARK_EMAIL_SENT_SCRUBBING_BODY;
      await write((database) => run(database, text, [sqliteTime(sentAt), providerMessageId, id]));
    },

    // The connection is Prisma's, closed by its $disconnect.
    async close() {},

    async insertAuditEvents(events) {
      if (events.length === 0) return;
      const statement = sql.insertAuditEventsStatement(events.length);
      await write((database) => run(database, statement, sql.auditValues(events, sqliteTime)));
    },
  };
}

type RawChallenge = Omit<ChallengeRow, "expiresAt"> & { expiresAt: string };

function challengeFrom(row: RawChallenge): ChallengeRow {
  return { ...row, expiresAt: new Date(row.expiresAt) };
}
