import pg from "pg";
import * as sql from "./statements";
import { signInLockKey } from "../../auth/store/lock-keys";
import type { EmailChallengeRow } from "../../auth/store/types";
import type { HotPathStore } from "./types";

/**
 * The hot path on PostgreSQL, on the pool Prisma's adapter uses. A
 * transaction takes one client from the pool for BEGIN … COMMIT; the
 * conditional UPDATE that redeems a challenge waits for a competing one to
 * commit and then matches nothing, so a link signs in once.
 */

/** `?` → `$1, $2, …` (none of our statements has a `?` inside a literal). */
export function numberedPlaceholders(text: string): string {
  let index = 0;
  return text.replace(/\?/g, () => `$${++index}`);
}

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;

/**
 * Prisma keeps UTC in `timestamp(3)` columns. pg would read them as local
 * time, and write a Date as local time too; so times go out as ISO strings
 * (PostgreSQL drops the "Z" for this type) and come back read as UTC.
 */
const utcTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === TIMESTAMP_WITHOUT_TIME_ZONE) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

const postgresTime = (date: Date) => date.toISOString();

type Queryable = Pick<pg.Pool, "query"> | pg.PoolClient;

export function postgresHotPath(pool: pg.Pool): HotPathStore {
  const texts = new Map<string, string>();
  const numbered = (text: string) => {
    let converted = texts.get(text);
    if (!converted) {
      converted = numberedPlaceholders(text);
      texts.set(text, converted);
    }
    return converted;
  };

  async function query<T extends pg.QueryResultRow>(on: Queryable, text: string, values: unknown[]) {
    return on.query<T>({ text: numbered(text), values, types: utcTypes });
  }

  async function inTransaction<T>(body: (client: pg.PoolClient) => Promise<T>, commitWhen: (result: T) => boolean) {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await body(client);
      await client.query(commitWhen(result) ? "COMMIT" : "ROLLBACK");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    provider: "postgresql",

    async rateLimiterStore() {
      return { provider: "postgresql", pool };
    },

    // Each pool client is a connection of its own: nothing to wait for.
    whenIdle: () => undefined,

    emailChallenges: {
      async issueSignIn(challenge, email) {
        await inTransaction(
          async (client) => {
            // Two requests from one browser for one address would otherwise each
            // void what the other had not yet committed, and both links would
            // stay valid. (SQLite runs the whole transaction without yielding.)
            await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [signInLockKey(challenge.email)]);
            const voided = await query<{ failedCodeAttempts: number }>(
              client,
              sql.VOID_PENDING_SIGN_IN_CHALLENGES,
              sql.voidValues(challenge, postgresTime),
            );
            const user = await query<{ id: string }>(client, sql.SELECT_USER_ID_BY_EMAIL, [challenge.email]);
            const carried = Math.max(0, ...voided.rows.map((row) => row.failedCodeAttempts));
            await query(client, sql.INSERT_CHALLENGE, sql.challengeValues(challenge, user.rows[0]?.id ?? null, carried, postgresTime));
            await query(client, sql.INSERT_CLAIMED_EMAIL, sql.emailValues(email, postgresTime));
          },
          () => true,
        );
      },

      async findByTokenHash(tokenHash) {
        const { rows } = await query<EmailChallengeRow>(pool, sql.SELECT_CHALLENGE_BY_TOKEN_HASH, [tokenHash]);
        return rows[0] ?? null;
      },

      async findById(id) {
        const { rows } = await query<EmailChallengeRow>(pool, sql.SELECT_CHALLENGE_BY_ID, [id]);
        return rows[0] ?? null;
      },

      async reserveCodeAttempt(challengeId, now, limit) {
        const { rows } = await query<{ failedCodeAttempts: number }>(pool, sql.RESERVE_CODE_ATTEMPT, [
          challengeId,
          postgresTime(now),
          limit,
        ]);
        return rows[0] ? rows[0].failedCodeAttempts : null;
      },

      async redeemSignIn(input) {
        const now = postgresTime(input.now);
        return inTransaction(
          async (client) => {
            const consumed = await query(client, sql.REDEEM_CHALLENGE, sql.redeemValues(input, now));
            if (consumed.rowCount !== 1) return null;
            const created = await query<{ id: string }>(client, sql.INSERT_USER_IF_NEW, [
              input.newUserId, input.email, now, input.locale, now, now,
            ]);
            const userId =
              created.rows[0]?.id ??
              (await query<{ id: string }>(client, sql.REFRESH_USER, [now, input.locale, now, input.email])).rows[0]?.id;
            if (!userId) throw new Error("redeemSignIn: the account vanished while signing in");
            await query(client, sql.INSERT_SESSION, sql.sessionValues(input.session, userId, postgresTime));
            const redeemed = { userId, isNewUser: created.rows.length === 1 };
            if (input.audit) await query(client, sql.INSERT_AUDIT_EVENT, sql.auditValues([input.audit(redeemed)], postgresTime));
            return redeemed;
          },
          (result) => result !== null,
        );
      },
    },

    sessions: {
      async findByTokenHash(tokenHash) {
        const { rows } = await pool.query<sql.SessionValues<Date>>({
          text: numbered(sql.SELECT_SESSION),
          values: [tokenHash],
          types: utcTypes,
          rowMode: "array",
        });
        return rows[0] ? sql.sessionFrom(rows[0], (date) => date) : null;
      },

      async touch(sessionId, lastSeenAt, expires) {
        await query(pool, sql.TOUCH_SESSION, [postgresTime(lastSeenAt), postgresTime(expires), sessionId]);
      },
    },

    accounts: {
      async findByEmail(email) {
        const { rows } = await pool.query<{ id: string; email: string; role: string }>(numbered(sql.SELECT_ACCOUNT_BY_EMAIL), [email]);
        return rows[0] ?? null;
      },
    },

    grants: {
      async listActive(sessionId, now) {
        const { rows } = await query<sql.GrantValues<Date>>(pool, sql.SELECT_ACTIVE_GRANTS, [sessionId, postgresTime(now)]);
        return rows.map((row) => sql.grantFrom(row, (date) => date));
      },
    },

    passkeys: {
      async countForUser(userId) {
        // count(*) is a bigint, which pg reads as a string.
        const { rows } = await query<{ count: string }>(pool, sql.COUNT_PASSKEYS, [userId]);
        return Number(rows[0].count);
      },
    },

    totpFactors: {
      async listConfirmed(userId) {
        const { rows } = await query<sql.TotpFactorValues<Date>>(pool, sql.SELECT_CONFIRMED_TOTP_FACTORS, [userId]);
        return rows.map((row) => sql.totpFactorFrom(row, (date) => date));
      },
    },

    webauthnChallenges: {
      async insert(row) {
        await query(pool, sql.INSERT_WEBAUTHN_CHALLENGE, sql.webauthnChallengeValues(row, postgresTime));
      },

      async findById(id) {
        const { rows } = await query<sql.WebAuthnChallengeValues<Date>>(pool, sql.SELECT_WEBAUTHN_CHALLENGE, [id]);
        return rows[0] ? sql.webauthnChallengeFrom(rows[0], (date) => date) : null;
      },

      async spend(id, now) {
        const at = postgresTime(now);
        return (await query(pool, sql.SPEND_WEBAUTHN_CHALLENGE, [at, id, at])).rowCount === 1;
      },
    },

    devices: {
      async findForUser(id, userId) {
        const { rows } = await query<sql.DeviceValues<Date>>(pool, sql.SELECT_DEVICE_FOR_USER, [id, userId]);
        return rows[0] ? sql.deviceFrom(rows[0], (date) => date) : null;
      },

      async recordSessionProof(proof) {
        const at = postgresTime(proof.at);
        return inTransaction(
          async (client) => {
            const bind = sql.bindStatement(proof, postgresTime);
            if ((await query(client, bind.text, bind.values)).rowCount !== 1) return { bound: false } as const;
            await query(client, sql.RECORD_DEVICE_USE, [at, proof.country, proof.deviceId]);
            const trustedNow = proof.trust && (await query(client, sql.TRUST_NEW_DEVICE, [at, proof.deviceId, proof.userId])).rowCount === 1;
            return { bound: true, trustedNow } as const;
          },
          (result) => result.bound,
        );
      },
    },

    audit: {
      async insert(events) {
        if (events.length === 0) return;
        await query(pool, sql.insertAuditEventsStatement(events.length), sql.auditValues(events, postgresTime));
      },
    },

    outbox: {
      async markSent(id, sentAt, providerMessageId, keepBody) {
        const text = keepBody ? sql.MARK_EMAIL_SENT_KEEPING_BODY : sql.MARK_EMAIL_SENT_SCRUBBING_BODY;
        await query(pool, text, [postgresTime(sentAt), providerMessageId, id]);
      },
    },

    async selectOne<T>(text: string, values: readonly unknown[]) {
      const { rows } = await query<T & pg.QueryResultRow>(pool, text, [...values]);
      return rows[0] ?? null;
    },

    async close() {
      if (!pool.ended) await pool.end();
    },
  };
}
