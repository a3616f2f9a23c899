import type {
  AuditRow,
  DeviceRow,
  GrantRow,
  NewSessionRow,
  NewSignInChallenge,
  SessionProofRecord,
  SessionRow,
  SignInRedemption,
  TotpFactorRow,
  WebAuthnChallengeRow,
  WebAuthnChallengeStore,
} from "../../auth/store/types";
import type { NewOutboxEmail } from "../../delivery/outbox-store";

/**
 * The hot path's SQL, written once with `?` placeholders (postgres.ts numbers
 * them). Quoted identifiers and `RETURNING` read the same in SQLite and
 * PostgreSQL. Times are bound by each dialect in the format Prisma itself
 * writes, so Prisma reads these rows like its own.
 */

/** Read as an array of values in this order (SessionValues below). */
export const SELECT_SESSION = `
  SELECT s."id", s."aal", s."methods", s."userAgentClass", s."country", s."createdAt", s."lastSeenAt",
         s."expires", s."absoluteExpiresAt", s."restricted", s."binding", s."deviceId", s."proofDueAt",
         u."id" AS "userId", u."email" AS "userEmail", u."role" AS "userRole", u."locale" AS "userLocale"
  FROM "Session" s JOIN "User" u ON u."id" = s."userId"
  WHERE s."sessionToken" = ?`;

export const TOUCH_SESSION = `UPDATE "Session" SET "lastSeenAt" = ?, "expires" = ? WHERE "id" = ?`;

const CHALLENGE_COLUMNS = `"id", "email", "status", "expiresAt", "bindingHash", "codeHash", "failedCodeAttempts",
  "locale", "callbackPath", "purpose"`;
export const SELECT_CHALLENGE_BY_TOKEN_HASH = `SELECT ${CHALLENGE_COLUMNS} FROM "MagicLinkChallenge" WHERE "tokenHash" = ?`;
export const SELECT_CHALLENGE_BY_ID = `SELECT ${CHALLENGE_COLUMNS} FROM "MagicLinkChallenge" WHERE "id" = ?`;

/**
 * Only the links the same browser asked for (the same binding): a link
 * another browser asked for stays valid, so nobody can void someone else's
 * link by asking for one too. Expired links stay as they are, so that their
 * page keeps saying "expired".
 */
export const VOID_PENDING_SIGN_IN_CHALLENGES = `
  UPDATE "MagicLinkChallenge" SET "status" = 'voided'
  WHERE "email" = ? AND "purpose" = 'sign_in' AND "status" = 'pending' AND "expiresAt" > ? AND "bindingHash" = ?
  RETURNING "failedCodeAttempts"`;

export function voidValues<T>(c: NewSignInChallenge, time: (d: Date) => T) {
  return [c.email, time(c.createdAt), c.bindingHash];
}

export const SELECT_USER_ID_BY_EMAIL = `SELECT "id" FROM "User" WHERE "email" = ?`;

/** The account a redemption's sign-in policy judges (lib/auth/step-up/sign-in-policy.ts). */
export const SELECT_ACCOUNT_BY_EMAIL = `SELECT "id", "email", "role" FROM "User" WHERE "email" = ?`;

/**
 * A sign-in challenge; the code-only purposes (re-confirmation, later step-up
 * and recovery) are written by lib/auth/magic-link/code-challenge.ts through
 * Prisma, into the same table without a token or binding.
 */
export const INSERT_CHALLENGE = `
  INSERT INTO "MagicLinkChallenge" ("id", "email", "userId", "tokenHash", "codeHash", "bindingHash", "purpose",
    "status", "failedCodeAttempts", "locale", "callbackPath", "requestUserAgent", "requestCountry", "createdAt",
    "expiresAt")
  VALUES (?, ?, ?, ?, ?, ?, 'sign_in', 'pending', ?, ?, ?, ?, ?, ?, ?)`;

export function challengeValues<T>(c: NewSignInChallenge, userId: string | null, failedCodeAttempts: number, time: (d: Date) => T) {
  return [c.id, c.email, userId, c.tokenHash, c.codeHash, c.bindingHash, failedCodeAttempts, c.locale, c.callbackPath,
    c.requestUserAgent, c.requestCountry, time(c.createdAt), time(c.expiresAt)];
}

export const INSERT_CLAIMED_EMAIL = `
  INSERT INTO "OutboxMessage" ("id", "channel", "to", "subject", "text", "html", "locale", "template", "status",
    "attempts", "nextAttemptAt", "transport", "challengeId", "createdAt", "sentAt")
  VALUES (?, 'email', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export function emailValues<T>(e: NewOutboxEmail, time: (d: Date) => T) {
  return [e.id, e.to, e.subject, e.text, e.html, e.locale, e.template, e.sentAt ? "sent" : "pending",
    e.transport ? 1 : 0, time(e.nextAttemptAt), e.transport, e.challengeId, time(e.createdAt), e.sentAt ? time(e.sentAt) : null];
}

/**
 * Takes one of a challenge's code attempts before the code is compared: the
 * count goes up only while it is below the limit, so however many guesses
 * race, at most `limit` of them are ever compared.
 */
export const RESERVE_CODE_ATTEMPT = `
  UPDATE "MagicLinkChallenge" SET "failedCodeAttempts" = "failedCodeAttempts" + 1
  WHERE "id" = ? AND "status" = 'pending' AND "expiresAt" > ? AND "failedCodeAttempts" < ?
  RETURNING "failedCodeAttempts"`;

/**
 * The wrong-code count plays no part here: a link with its binding ignores
 * it, and a code already took its attempt (RESERVE_CODE_ATTEMPT), which is
 * given back (the last `?`: 1 or 0) so the count keeps meaning wrong codes.
 */
export const REDEEM_CHALLENGE = `
  UPDATE "MagicLinkChallenge" SET "status" = 'redeemed', "redeemedAt" = ?, "failedCodeAttempts" = "failedCodeAttempts" - ?
  WHERE "id" = ? AND "status" = 'pending' AND "expiresAt" > ?`;

export function redeemValues<T>(r: SignInRedemption, now: T) {
  return [now, r.codeAttemptReserved ? 1 : 0, r.challengeId, now];
}

export const INSERT_USER_IF_NEW = `
  INSERT INTO "User" ("id", "email", "emailVerified", "locale", "role", "createdAt", "updatedAt")
  VALUES (?, ?, ?, ?, 'user', ?, ?)
  ON CONFLICT ("email") DO NOTHING
  RETURNING "id"`;

export const REFRESH_USER = `
  UPDATE "User" SET "emailVerified" = ?, "locale" = ?, "updatedAt" = ? WHERE "email" = ? RETURNING "id"`;

export const INSERT_SESSION = `
  INSERT INTO "Session" ("id", "sessionToken", "userId", "aal", "methods", "userAgentClass", "country", "createdAt",
    "lastSeenAt", "expires", "absoluteExpiresAt", "restricted", "latitude", "longitude")
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export function sessionValues<T>(s: NewSessionRow, userId: string, time: (d: Date) => T) {
  return [s.id, s.tokenHash, userId, s.aal, s.methods, s.userAgentClass, s.country, time(s.createdAt),
    time(s.createdAt), time(s.expires), time(s.absoluteExpiresAt),
    // better-sqlite3 binds no booleans; PostgreSQL reads '1' and '0' as booleans too.
    s.restricted ? 1 : 0, s.latitude, s.longitude];
}

export const MARK_EMAIL_SENT_KEEPING_BODY = `
  UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ?, "lastError" = NULL, "providerMessageId" = ? WHERE "id" = ?`;

/** A body kept after a real send would keep a usable sign-in link in the database. */
export const MARK_EMAIL_SENT_SCRUBBING_BODY = `
  UPDATE "OutboxMessage" SET "status" = 'sent', "sentAt" = ?, "lastError" = NULL, "providerMessageId" = ?,
    "text" = '[removed after delivery]', "html" = '[removed after delivery]'
  WHERE "id" = ?`;

const AUDIT_ROW = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

export function insertAuditEventsStatement(rows: number): string {
  return `INSERT INTO "AuthEvent" ("id", "at", "command", "outcome", "errorCode", "userId", "sessionId", "ipPrefix",
    "country", "deviceClass", "latencyMs", "details") VALUES ${Array(rows).fill(AUDIT_ROW).join(", ")}`;
}

/** One event, written inside a ceremony's own transaction. */
export const INSERT_AUDIT_EVENT = insertAuditEventsStatement(1);

export function auditValues<T>(events: readonly AuditRow[], time: (d: Date) => T) {
  return events.flatMap((e) => [e.id, time(e.at), e.command, e.outcome, e.errorCode, e.userId, e.sessionId,
    e.ipPrefix, e.country, e.deviceClass, e.latencyMs, e.details]);
}

/**
 * SELECT_SESSION's columns in order, as both dialects hand them over: an
 * array, not an object. Every signed-in request reads one such row, and a
 * row as an object costs better-sqlite3 one property definition per column
 * through V8's slow path (the column names looked up again each time);
 * an array costs one allocation.
 */
export type SessionValues<T> = [
  id: string,
  aal: number,
  methods: string,
  userAgentClass: string,
  country: string | null,
  createdAt: T,
  lastSeenAt: T,
  expires: T,
  absoluteExpiresAt: T,
  /** SQLite hands a boolean over as 0 or 1. */
  restricted: boolean | number,
  binding: string,
  deviceId: string | null,
  proofDueAt: T | null,
  userId: string,
  userEmail: string,
  userRole: string,
  userLocale: string | null,
];

/** SELECT_SESSION's row as a SessionRow, with each dialect's way of reading a time. */
export function sessionFrom<T>(values: SessionValues<T>, toDate: (value: T) => Date): SessionRow {
  const [id, aal, methods, userAgentClass, country, createdAt, lastSeenAt, expires, absoluteExpiresAt, restricted, binding,
    deviceId, proofDueAt, userId, userEmail, userRole, userLocale] = values;
  return {
    id,
    aal,
    methods,
    userAgentClass,
    country,
    createdAt: toDate(createdAt),
    lastSeenAt: toDate(lastSeenAt),
    expires: toDate(expires),
    absoluteExpiresAt: toDate(absoluteExpiresAt),
    restricted: Boolean(restricted),
    binding: binding as SessionRow["binding"],
    deviceId,
    proofDueAt: dateOrNull(proofDueAt, toDate),
    user: { id: userId, email: userEmail, role: userRole, locale: userLocale },
  };
}

// The policy's guard (lib/auth/step-up/policy-context.ts): every protected
// request reads the session's grants and the account's strong factors.

export const SELECT_ACTIVE_GRANTS = `
  SELECT "id", "sessionId", "userId", "action", "method", "createdAt", "expiresAt" FROM "StepUpGrant"
  WHERE "sessionId" = ? AND "expiresAt" > ? ORDER BY "createdAt" ASC`;

export const COUNT_PASSKEYS = `SELECT count(*) AS "count" FROM "Passkey" WHERE "userId" = ?`;

export const SELECT_CONFIRMED_TOTP_FACTORS = `
  SELECT "id", "userId", "secretSealed", "name", "createdAt", "confirmedAt", "lastUsedStep", "failedAttempts",
         "lockedUntil", "lastUsedAt"
  FROM "TotpFactor" WHERE "userId" = ? AND "confirmedAt" IS NOT NULL ORDER BY "createdAt" ASC`;

/** A grant's row as a driver reads it: times as the dialect gives them (T). */
export type GrantValues<T> = Omit<GrantRow, "createdAt" | "expiresAt"> & { createdAt: T; expiresAt: T };

export function grantFrom<T>(row: GrantValues<T>, toDate: (value: T) => Date): GrantRow {
  return { ...row, createdAt: toDate(row.createdAt), expiresAt: toDate(row.expiresAt) };
}

/** An authenticator app's row as a driver reads it. */
export type TotpFactorValues<T> = Omit<TotpFactorRow, "createdAt" | "confirmedAt" | "lockedUntil" | "lastUsedAt"> & {
  createdAt: T;
  confirmedAt: T | null;
  lockedUntil: T | null;
  lastUsedAt: T | null;
};

export function totpFactorFrom<T>(row: TotpFactorValues<T>, toDate: (value: T) => Date): TotpFactorRow {
  const orNull = (value: T | null) => dateOrNull(value, toDate);
  return {
    ...row,
    createdAt: toDate(row.createdAt),
    confirmedAt: orNull(row.confirmedAt),
    lockedUntil: orNull(row.lockedUntil),
    lastUsedAt: orNull(row.lastUsedAt),
  };
}

// Server challenges (lib/auth/passkeys/webauthn-challenges.ts): a passkey
// sign-in's, and the one every bound browser asks for each proof interval.

type NewWebAuthnChallenge = Parameters<WebAuthnChallengeStore["insert"]>[0];

export const INSERT_WEBAUTHN_CHALLENGE = `
  INSERT INTO "WebAuthnChallenge" ("id", "purpose", "challenge", "userId", "sessionId", "action", "deviceId",
    "bindingHash", "status", "createdAt", "expiresAt")
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`;

export function webauthnChallengeValues<T>(row: NewWebAuthnChallenge, time: (d: Date) => T) {
  return [row.id, row.purpose, row.challenge, row.userId, row.sessionId, row.action, row.deviceId ?? null,
    row.bindingHash, time(row.createdAt), time(row.expiresAt)];
}

export const SELECT_WEBAUTHN_CHALLENGE = `
  SELECT "id", "purpose", "challenge", "userId", "sessionId", "action", "deviceId", "bindingHash", "status",
         "createdAt", "expiresAt"
  FROM "WebAuthnChallenge" WHERE "id" = ?`;

/** Pending and unexpired → used: of any number of racing spends, one changes the row. */
export const SPEND_WEBAUTHN_CHALLENGE = `
  UPDATE "WebAuthnChallenge" SET "status" = 'used', "usedAt" = ? WHERE "id" = ? AND "status" = 'pending' AND "expiresAt" > ?`;

export type WebAuthnChallengeValues<T> = Omit<WebAuthnChallengeRow, "createdAt" | "expiresAt"> & { createdAt: T; expiresAt: T };

export function webauthnChallengeFrom<T>(row: WebAuthnChallengeValues<T>, toDate: (value: T) => Date): WebAuthnChallengeRow {
  return { ...row, createdAt: toDate(row.createdAt), expiresAt: toDate(row.expiresAt) };
}

// Device keys (lib/auth/devices): the device a proof names, and what a session proof writes.

export const SELECT_DEVICE_FOR_USER = `
  SELECT "id", "userId", "publicKey", "name", "trust", "createdAt", "lastSeenAt", "country", "trustedAt", "revokedAt"
  FROM "Device" WHERE "id" = ? AND "userId" = ?`;

export type DeviceValues<T> = Omit<DeviceRow, "createdAt" | "lastSeenAt" | "trustedAt" | "revokedAt"> & {
  createdAt: T;
  lastSeenAt: T;
  trustedAt: T | null;
  revokedAt: T | null;
};

export function deviceFrom<T>(row: DeviceValues<T>, toDate: (value: T) => Date): DeviceRow {
  const orNull = (value: T | null) => dateOrNull(value, toDate);
  return {
    ...row,
    createdAt: toDate(row.createdAt),
    lastSeenAt: toDate(row.lastSeenAt),
    trustedAt: orNull(row.trustedAt),
    revokedAt: orNull(row.revokedAt),
  };
}

/**
 * Binds only a session still bound as the proof read it (SessionStore.bind):
 * two statements, as `= NULL` matches nothing in SQL.
 */
const BIND_SESSION = `UPDATE "Session" SET "binding" = ?, "deviceId" = ?, "proofDueAt" = ? WHERE "id" = ? AND "userId" = ?`;
export const BIND_SESSION_FROM_DEVICE = `${BIND_SESSION} AND "deviceId" = ?`;
export const BIND_UNBOUND_SESSION = `${BIND_SESSION} AND "deviceId" IS NULL`;

export function bindStatement<T>(proof: SessionProofRecord, time: (d: Date) => T): { text: string; values: unknown[] } {
  const values = [proof.binding, proof.deviceId, time(proof.proofDueAt), proof.sessionId, proof.userId];
  return proof.fromDeviceId === null
    ? { text: BIND_UNBOUND_SESSION, values }
    : { text: BIND_SESSION_FROM_DEVICE, values: [...values, proof.fromDeviceId] };
}

export const RECORD_DEVICE_USE = `UPDATE "Device" SET "lastSeenAt" = ?, "country" = ? WHERE "id" = ?`;

export const TRUST_NEW_DEVICE = `
  UPDATE "Device" SET "trust" = 'trusted', "trustedAt" = ? WHERE "id" = ? AND "userId" = ? AND "trust" = 'new'`;

/** A nullable time column, read with the dialect's `toDate`. */
function dateOrNull<T>(value: T | null, toDate: (value: T) => Date): Date | null {
  return value === null ? null : toDate(value);
}
