import BetterSqlite3, { type Database, type Statement } from "better-sqlite3";
import { writeGroupsOf } from "./sqlite-write-group";
import * as sql from "./statements";
import type { EmailChallengeRow } from "../../auth/store/types";
import type { HotPathStore } from "./types";

/**
 * The hot path on SQLite: prepared statements on a connection of its own to
 * the database file, run synchronously, so no other request's code runs in
 * the middle of one unit of work. Writes are grouped: every request's writes
 * in one turn of the event loop share one commit (sqlite-write-group.ts),
 * taking turns with Prisma's connection (lib/db/sqlite-prisma-adapter.ts).
 * Reads need no turn: in WAL mode a reader sees the last commit and never
 * waits for a writer.
 */

/** Prisma's adapter stores DateTime as ISO 8601 text with an explicit +00:00. */
export function sqliteTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

export interface SqliteConnection {
  /** The hot path's own better-sqlite3 connection, opened on first use. */
  database(): Database;
  close(): void;
}

/** The file's second connection (Prisma has the first), opened when first asked for. */
export function sqliteConnection(file: string, options: { busyTimeoutMs: number; pragmas: readonly string[] }): SqliteConnection {
  let database: Database | null = null;
  return {
    database() {
      if (!database) {
        database = new BetterSqlite3(file, { timeout: options.busyTimeoutMs });
        for (const pragma of options.pragmas) database.pragma(pragma);
      }
      return database;
    },
    close() {
      database?.close();
      database = null;
    },
  };
}

export function sqliteHotPath(connection: SqliteConnection): HotPathStore {
  // Per connection: a statement belongs to one connection.
  const statementsByDatabase = new WeakMap<Database, Map<string, Statement>>();

  /** Runs `work` as one unit of the connection's current write group; resolves once it is committed. */
  async function write<T>(work: (database: Database) => T): Promise<T> {
    const database = connection.database();
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
      // Answering numbers: our columns fit in a double, and no caller expects BigInt.
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
      const database = connection.database();
      return {
        provider: "sqlite",
        client: {
          // Cached, and answering numbers: the library's arithmetic does not expect BigInt.
          prepare: (text) => prepared(database, text),
          // The library wraps its one statement (an INSERT … ON CONFLICT …
          // RETURNING) in a transaction of its own; here it becomes a unit
          // of the current write group instead, so a sign-in request's two
          // counted attempts share the request's commit. It runs a tick after
          // `whenIdle`, so a Prisma transaction may have opened meanwhile:
          // writing then could break it (or block on its lock), so the store
          // reports itself unavailable instead (the limit fails closed,
          // lib/auth/core/rate-limits.ts). hot-path.test.ts checks the counts.
          transaction: (body) => () => writeGroupsOf(database).writeNow(body),
        },
      };
    },

    whenIdle() {
      const groups = writeGroupsOf(connection.database());
      return groups.foreignTransactionOpen ? groups.untilNoForeignTransaction() : undefined;
    },

    emailChallenges: {
      async issueSignIn(challenge, email) {
        await write((database) => {
          const voided = all<{ failedCodeAttempts: number }>(database, sql.VOID_PENDING_SIGN_IN_CHALLENGES, sql.voidValues(challenge, sqliteTime));
          const user = get<{ id: string }>(database, sql.SELECT_USER_ID_BY_EMAIL, [challenge.email]);
          const carried = Math.max(0, ...voided.map((row) => row.failedCodeAttempts));
          run(database, sql.INSERT_CHALLENGE, sql.challengeValues(challenge, user?.id ?? null, carried, sqliteTime));
          run(database, sql.INSERT_CLAIMED_EMAIL, sql.emailValues(email, sqliteTime));
        });
      },

      async findByTokenHash(tokenHash) {
        const row = get<RawChallenge>(connection.database(), sql.SELECT_CHALLENGE_BY_TOKEN_HASH, [tokenHash]);
        return row ? challengeFrom(row) : null;
      },

      async findById(id) {
        const row = get<RawChallenge>(connection.database(), sql.SELECT_CHALLENGE_BY_ID, [id]);
        return row ? challengeFrom(row) : null;
      },

      async reserveCodeAttempt(challengeId, now, limit) {
        const row = await write((database) =>
          get<{ failedCodeAttempts: number }>(database, sql.RESERVE_CODE_ATTEMPT, [challengeId, sqliteTime(now), limit]),
        );
        return row ? row.failedCodeAttempts : null;
      },

      async redeemSignIn(input) {
        const now = sqliteTime(input.now);
        return write((database) => {
          if (run(database, sql.REDEEM_CHALLENGE, sql.redeemValues(input, now)) !== 1) return null;
          const created = get<{ id: string }>(database, sql.INSERT_USER_IF_NEW, [
            input.newUserId, input.email, now, input.locale, now, now,
          ]);
          const userId = created?.id ?? get<{ id: string }>(database, sql.REFRESH_USER, [now, input.locale, now, input.email])?.id;
          if (!userId) throw new Error("redeemSignIn: the account vanished while signing in");
          run(database, sql.INSERT_SESSION, sql.sessionValues(input.session, userId, sqliteTime));
          const redeemed = { userId, isNewUser: created !== undefined };
          if (input.audit) run(database, sql.INSERT_AUDIT_EVENT, sql.auditValues([input.audit(redeemed)], sqliteTime));
          return redeemed;
        });
      },
    },

    sessions: {
      async findByTokenHash(tokenHash) {
        const statement = prepared(connection.database(), sql.SELECT_SESSION, "values");
        const values = statement.get(tokenHash) as sql.SessionValues<string> | undefined;
        return values ? sql.sessionFrom(values, (text) => new Date(text)) : null;
      },

      async touch(sessionId, lastSeenAt, expires) {
        await write((database) => run(database, sql.TOUCH_SESSION, [sqliteTime(lastSeenAt), sqliteTime(expires), sessionId]));
      },
    },

    accounts: {
      async findByEmail(email) {
        const row = prepared(connection.database(), sql.SELECT_ACCOUNT_BY_EMAIL).get(email) as
          | { id: string; email: string; role: string }
          | undefined;
        return row ?? null;
      },
    },

    grants: {
      async listActive(sessionId, now) {
        const rows = prepared(connection.database(), sql.SELECT_ACTIVE_GRANTS).all(sessionId, sqliteTime(now)) as sql.GrantValues<string>[];
        return rows.map((row) => sql.grantFrom(row, (text) => new Date(text)));
      },
    },

    passkeys: {
      async countForUser(userId) {
        return (prepared(connection.database(), sql.COUNT_PASSKEYS).get(userId) as { count: number }).count;
      },
    },

    totpFactors: {
      async listConfirmed(userId) {
        const rows = prepared(connection.database(), sql.SELECT_CONFIRMED_TOTP_FACTORS).all(userId) as sql.TotpFactorValues<string>[];
        return rows.map((row) => sql.totpFactorFrom(row, (text) => new Date(text)));
      },
    },

    webauthnChallenges: {
      async insert(row) {
        await write((database) => run(database, sql.INSERT_WEBAUTHN_CHALLENGE, sql.webauthnChallengeValues(row, sqliteTime)));
      },

      async findById(id) {
        const row = get<sql.WebAuthnChallengeValues<string>>(connection.database(), sql.SELECT_WEBAUTHN_CHALLENGE, [id]);
        return row ? sql.webauthnChallengeFrom(row, (text) => new Date(text)) : null;
      },

      async spend(id, now) {
        const at = sqliteTime(now);
        return (await write((database) => run(database, sql.SPEND_WEBAUTHN_CHALLENGE, [at, id, at]))) === 1;
      },
    },

    devices: {
      async findForUser(id, userId) {
        const row = get<sql.DeviceValues<string>>(connection.database(), sql.SELECT_DEVICE_FOR_USER, [id, userId]);
        return row ? sql.deviceFrom(row, (text) => new Date(text)) : null;
      },

      async recordSessionProof(proof) {
        const at = sqliteTime(proof.at);
        return write((database) => {
          // The binding first: a session gone or bound otherwise meanwhile leaves nothing written.
          const bind = sql.bindStatement(proof, sqliteTime);
          if (run(database, bind.text, bind.values) !== 1) return { bound: false } as const;
          run(database, sql.RECORD_DEVICE_USE, [at, proof.country, proof.deviceId]);
          const trustedNow = proof.trust && run(database, sql.TRUST_NEW_DEVICE, [at, proof.deviceId, proof.userId]) === 1;
          return { bound: true, trustedNow } as const;
        });
      },
    },

    audit: {
      async insert(events) {
        if (events.length === 0) return;
        const statement = sql.insertAuditEventsStatement(events.length);
        await write((database) => run(database, statement, sql.auditValues(events, sqliteTime)));
      },
    },

    outbox: {
      async markSent(id, sentAt, providerMessageId, keepBody) {
        const text = keepBody ? sql.MARK_EMAIL_SENT_KEEPING_BODY : sql.MARK_EMAIL_SENT_SCRUBBING_BODY;
        await write((database) => run(database, text, [sqliteTime(sentAt), providerMessageId, id]));
      },
    },

    async selectOne<T>(text: string, values: readonly unknown[]) {
      return get<T>(connection.database(), text, [...values]) ?? null;
    },

    async close() {
      connection.close();
    },
  };
}

type RawChallenge = Omit<EmailChallengeRow, "expiresAt"> & { expiresAt: string };

function challengeFrom(row: RawChallenge): EmailChallengeRow {
  return { ...row, expiresAt: new Date(row.expiresAt) };
}
