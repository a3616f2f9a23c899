import { newRowId } from "../../db/ids";
import type { NewSessionRow, SessionBinding, SessionStore } from "../store/types";
import type { Clock } from "../../clock";
import { parseMethodUses, type AuthMethod, type MethodUse } from "./method-uses";
import { userAgentClassOf, type RequestContext } from "./request-context";
import type { GeoPosition } from "../risk/signals";
import { SESSION_TOKEN_BYTES, randomToken, sha256Hex } from "./secrets";
import { failure, type Failure } from "./errors";

/**
 * Sessions are rows in Auth.js's `Session` table, created by our own
 * ceremonies through the session store (lib/auth/store) and read by
 * Auth.js's `auth()` through the hashing adapter (session-adapter.ts) or by
 * `findActiveSession`. The cookie holds a 256-bit random token; the table
 * holds its SHA-256.
 */

/** AAL1 (email link or code): B4 §2.1.3 allows 30 days; idle ends it sooner. */
export const AAL1_ABSOLUTE_SECONDS = 30 * 24 * 60 * 60;
export const AAL1_IDLE_SECONDS = 7 * 24 * 60 * 60;
/** AAL2 (passkey): ≤ 24 h overall, ≤ 1 h idle (B4 §2.2.3). */
export const AAL2_ABSOLUTE_SECONDS = 24 * 60 * 60;
export const AAL2_IDLE_SECONDS = 60 * 60;
/** lastSeenAt and the idle expiry move at most this often, to keep reads cheap. */
export const SESSION_TOUCH_INTERVAL_SECONDS = 60;

export interface NewSession {
  sessionToken: string;
  sessionId: string;
  expiresAt: Date;
}

export function sessionTokenHash(sessionToken: string): string {
  return sha256Hex(sessionToken);
}

function lifetimesFor(aal: number) {
  return aal >= 2
    ? { absolute: AAL2_ABSOLUTE_SECONDS, idle: AAL2_IDLE_SECONDS }
    : { absolute: AAL1_ABSOLUTE_SECONDS, idle: AAL1_IDLE_SECONDS };
}

/** What the sign-in policy decided about a new session (lib/auth/step-up/sign-in-policy.ts). */
export interface SessionStart {
  /** No sensitive action until the account adds a strong factor. */
  restricted: boolean;
  /** Where the sign-in came from, kept for the next one's impossible-travel check. */
  position: GeoPosition | null;
}

/**
 * A new session's row and the token for its cookie (given out once; the row
 * keeps only its hash). Written by the ceremony that proved who this is.
 */
export function newSessionRow(
  clock: Clock,
  input: {
    aal: number;
    method: AuthMethod;
    /** A second proof made in the same sign-in (an escalated email sign-in's authenticator-app code). */
    secondMethod?: AuthMethod;
    context: RequestContext;
    start?: SessionStart;
  },
): { sessionToken: string; row: NewSessionRow } {
  const now = clock.now();
  const lifetime = lifetimesFor(input.aal);
  const sessionToken = randomToken(SESSION_TOKEN_BYTES);
  const methods: MethodUse[] = [input.method, ...(input.secondMethod ? [input.secondMethod] : [])].map((method) => ({
    method,
    at: now.toISOString(),
  }));
  return {
    sessionToken,
    row: {
      id: newRowId(),
      tokenHash: sessionTokenHash(sessionToken),
      aal: input.aal,
      methods: JSON.stringify(methods),
      userAgentClass: userAgentClassOf(input.context),
      country: input.context.country,
      createdAt: now,
      expires: new Date(now.getTime() + lifetime.idle * 1000),
      absoluteExpiresAt: new Date(now.getTime() + lifetime.absolute * 1000),
      restricted: input.start?.restricted ?? false,
      latitude: input.start?.position?.latitude ?? null,
      longitude: input.start?.position?.longitude ?? null,
    },
  };
}

/** Creates a session (inside the ceremony's transaction, given its store) and returns the token for the cookie (once). */
export async function createSession(
  sessions: SessionStore,
  clock: Clock,
  input: { userId: string; aal: number; method: AuthMethod; context: RequestContext; passkeyId?: string },
): Promise<NewSession> {
  const { sessionToken, row } = newSessionRow(clock, input);
  // The credential that signed this session in: deleting it ends the session.
  await sessions.insert({ ...row, userId: input.userId, passkeyId: input.passkeyId ?? null });
  return { sessionToken, sessionId: row.id, expiresAt: row.expires };
}

export interface ActiveSession {
  id: string;
  aal: number;
  methods: MethodUse[];
  userAgentClass: string;
  country: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  /** Started restricted by the sign-in policy: only what the policy table allows such a session. */
  restricted: boolean;
  /** How the session is tied to its device (docs/device-proof.md § Bound sessions). */
  binding: SessionBinding;
  /** The device a bound session belongs to. */
  deviceId: string | null;
  /**
   * A bound session whose next device proof is due: until one arrives, it
   * may only prove its device (execute answers DEVICE_PROOF_REQUIRED).
   */
  deviceProofDue: boolean;
  /** When a bound session's next proof falls due: the browser proves a little before it. */
  deviceProofDueAt: Date | null;
  user: { id: string; email: string; role: string; locale: string | null };
  /**
   * This lookup slid the idle expiry (`expiresAt` is the new one). The
   * layer answering the browser must then re-issue the session cookie with
   * it (cookie-effects.ts `withSessionRefresh`, proxy.ts), or an active
   * AAL2 session's cookie would still end an hour after sign-in.
   */
  slid: boolean;
}

/**
 * One indexed lookup (unique hash → row joined to its user): every
 * signed-in request pays for it. Expired rows
 * answer null; activity slides the idle expiry at most once per
 * SESSION_TOUCH_INTERVAL_SECONDS and never past the absolute one (B4
 * §2.2.3), and says so (`slid`) so that the cookie can follow. Call it only
 * where the answer can carry a Set-Cookie (commands, proxy.ts, route
 * handlers): a slide the cookie does not follow holds back the next one for
 * an interval, while the browser's cookie keeps its old expiry.
 */
export async function findActiveSession(
  sessions: SessionStore,
  clock: Clock,
  sessionToken: string,
  /** `slide: false` for a page, which cannot carry a Set-Cookie (proxy.ts slides before it renders). */
  options: { slide?: boolean } = {},
): Promise<ActiveSession | null> {
  if (!sessionToken || sessionToken.length > 256) return null;
  const row = await sessions.findByTokenHash(sessionTokenHash(sessionToken));
  const now = clock.now();
  if (!row || row.expires <= now || row.absoluteExpiresAt <= now) return null;

  let lastSeenAt = row.lastSeenAt;
  let expiresAt = row.expires;
  let slid = false;
  if (options.slide !== false && now.getTime() - row.lastSeenAt.getTime() > SESSION_TOUCH_INTERVAL_SECONDS * 1000) {
    const expires = slidExpiry(row.aal, now, row.absoluteExpiresAt);
    // At most once an interval per session, so awaiting it costs nothing in
    // aggregate; a failed touch only shortens the idle window (and then the
    // cookie keeps its expiry too: it must not outlive the row).
    slid = await sessions.touch(row.id, now, expires).then(
      () => true,
      () => false,
    );
    if (slid) {
      lastSeenAt = now;
      expiresAt = expires;
    }
  }

  return {
    id: row.id,
    aal: row.aal,
    methods: parseMethodUses(row.methods),
    userAgentClass: row.userAgentClass,
    country: row.country,
    createdAt: row.createdAt,
    lastSeenAt,
    expiresAt,
    absoluteExpiresAt: row.absoluteExpiresAt,
    restricted: row.restricted,
    binding: row.binding,
    deviceId: row.deviceId,
    deviceProofDue: row.binding !== "none" && row.proofDueAt !== null && row.proofDueAt <= now,
    deviceProofDueAt: row.proofDueAt,
    user: row.user,
    slid,
  };
}

/**
 * What `execute` answers a bound session whose device proof is due, for a
 * handler outside it (a file route) to answer the same; null when the
 * session may go on.
 */
export function deviceProofRefusal(session: ActiveSession): Failure | null {
  return session.deviceProofDue ? failure("DEVICE_PROOF_REQUIRED") : null;
}

/** Where activity at `now` moves a session's idle expiry: one idle window on, never past the absolute expiry. */
function slidExpiry(aal: number, now: Date, absoluteExpiresAt: Date): Date {
  const idle = lifetimesFor(aal).idle * 1000;
  return new Date(Math.min(now.getTime() + idle, absoluteExpiresAt.getTime()));
}

/** Ends a session on the server (ASVS 7.4.1). Returns whether one was ended. */
export function revokeSession(sessions: SessionStore, sessionToken: string): Promise<string | null> {
  return sessions.deleteByTokenHash(sessionTokenHash(sessionToken));
}

/**
 * Records a fresh proof on an existing session (a re-confirmation, later a
 * step-up) and gives it a new token (ASVS 7.2.4), so a token seen before
 * the proof is worthless after it. The assurance level does not change: a
 * session is never rated above the ceremony that created it.
 */
export async function rotateSessionWithMethod(
  sessions: SessionStore,
  clock: Clock,
  input: { sessionId: string; method: AuthMethod },
): Promise<{ sessionToken: string; expiresAt: Date } | null> {
  const row = await sessions.findById(input.sessionId);
  if (!row) return null;
  const sessionToken = randomToken(SESSION_TOKEN_BYTES);
  const methods = [...parseMethodUses(row.methods), { method: input.method, at: clock.now().toISOString() }];
  const replaced = await sessions.replaceToken(input.sessionId, {
    tokenHash: sessionTokenHash(sessionToken),
    methods: JSON.stringify(methods),
  });
  return replaced ? { sessionToken, expiresAt: row.expires } : null;
}

/**
 * A step-up's new token (ASVS 7.2.4): the session's proofs stay as they were
 * (a step-up is recorded as a grant, lib/auth/step-up), and a restricted
 * session is restricted no more, since a strong factor was just proven on it.
 */
export async function rotateSessionAfterStepUp(
  sessions: SessionStore,
  input: { sessionId: string },
): Promise<{ sessionToken: string; expiresAt: Date } | null> {
  const row = await sessions.findById(input.sessionId);
  if (!row) return null;
  const sessionToken = randomToken(SESSION_TOKEN_BYTES);
  const replaced = await sessions.replaceToken(input.sessionId, { tokenHash: sessionTokenHash(sessionToken), restricted: false });
  return replaced ? { sessionToken, expiresAt: row.expires } : null;
}

/**
 * Signs out every other session of the user (ASVS 7.4.3: offered after a
 * factor change), keeping the one asking. Returns how many were ended.
 */
export function revokeOtherSessions(sessions: SessionStore, input: { userId: string; keepSessionId: string }): Promise<number> {
  return sessions.deleteOthers(input.userId, input.keepSessionId);
}

/** How many other sessions of the user are still alive: what "sign out everywhere else" would end. */
export function countOtherSessions(
  sessions: SessionStore,
  clock: Clock,
  input: { userId: string; keepSessionId: string },
): Promise<number> {
  return sessions.countOthersActive(input.userId, input.keepSessionId, clock.now());
}

/**
 * Ends the sessions a passkey's sign-in created, when that passkey is
 * removed (a lost or stolen authenticator takes its sessions with it). The
 * session doing the removal is kept: its person is present and has just
 * proved it.
 */
export function revokeSessionsCreatedBy(
  sessions: SessionStore,
  input: { userId: string; passkeyId: string; keepSessionId: string },
): Promise<number> {
  return sessions.deleteCreatedByPasskey(input.userId, input.passkeyId, input.keepSessionId);
}
