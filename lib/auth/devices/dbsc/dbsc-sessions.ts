import { decodeJwt } from "jose";
import { newRowId } from "../../../db/ids";
import type { AuthDeps } from "../../core/deps";
import type { RequestContext } from "../../core/request-context";
import type { ActiveSession } from "../../core/sessions";
import { consumeWebAuthnChallenge, issueWebAuthnChallenge } from "../../passkeys/webauthn-challenges";
import { MAX_ACTIVE_DEVICES } from "../device-registry";
import { endSessionUsedElsewhere } from "../session-moved-notice";
import { buildChallengeHeader, buildRegistrationHeader, readSessionIdHeader, readSessionResponseHeader, type HeaderSource } from "./dbsc-headers";
import { parseDbscPublicJwk, verifyRefreshJws, verifyRegistrationJws } from "./dbsc-jws";
import { buildDbscSessionInstructions, dbscBoundCookie, dbscSessionEnded, dbscSetCookie } from "./dbsc-session-config";

/**
 * Native DBSC on this server's sessions (docs/dbsc.md): the offer (the
 * registration header), the registration that binds the session to the
 * browser's own key (binding `dbsc`, its public key kept as the session's
 * device), and the refresh that keeps it going. It reuses what device-key
 * sessions already have: the one challenge store, the session's
 * `proofDueAt` (a due refresh answers DEVICE_PROOF_REQUIRED like a due
 * device proof), and the end of a session whose proof is forged.
 *
 * Each function answers what the route sends, never a throw: a status,
 * headers and a JSON body.
 */

export const DBSC_REGISTER_PATH = "/api/dbsc/register";
export const DBSC_REFRESH_PATH = "/api/dbsc/refresh";
/** The browser answers a registration header at once; a refresh challenge the same. */
const DBSC_CHALLENGE_TTL_SECONDS = 120;
/** The browser refreshes when the bound cookie is gone: a minute before the server would refuse the session. */
const REFRESH_AHEAD_SECONDS = 60;

export interface DbscAnswer {
  status: number;
  headers: [name: string, value: string][];
  body: Record<string, unknown> | null;
}

/** The registration header for a session not yet bound to anything; nothing for one that is. */
export async function offerDbscRegistration(deps: AuthDeps, session: ActiveSession): Promise<DbscAnswer> {
  if (session.binding !== "none") return answer(200, [], { offered: false });
  const issued = await issueWebAuthnChallenge(deps, {
    purpose: "dbsc_register",
    userId: session.user.id,
    bindToBrowser: false,
    dbsc: { sessionId: session.id, deviceId: null },
    ttlSeconds: DBSC_CHALLENGE_TTL_SECONDS,
  });
  const header = buildRegistrationHeader({ path: DBSC_REGISTER_PATH, challenge: challengeText(issued) });
  if (!header.ok) return answer(500, [], { error: "DBSC_UNAVAILABLE" });
  return answer(200, header.headers, { offered: true });
}

/**
 * The browser's registration: the proof signed by its new key over our
 * challenge. The key becomes a device of the account and the session is
 * bound to it, only if nothing bound the session meanwhile.
 */
export async function registerDbscSession(
  deps: AuthDeps,
  input: { session: ActiveSession; headers: HeaderSource; request: RequestContext },
): Promise<DbscAnswer> {
  const { session } = input;
  const jws = readSessionResponseHeader(input.headers);
  if (!jws.ok) return refused(400, `response_${jws.reason}`);
  const spent = await spendChallenge(deps, jws.value, "dbsc_register", session);
  if (!spent.ok) return refused(400, spent.reason);
  const proof = await verifyRegistrationJws({ jws: jws.value, expectedChallenge: spent.challenge });
  if (!proof.ok) return refused(400, proof.reason);

  const now = deps.clock.now();
  const deviceId = newRowId();
  const proofDueAt = new Date(now.getTime() + deps.deviceProofIntervalSeconds * 1000);
  const outcome = await deps.store
    .transaction(async (tx) => {
      const device = {
      id: deviceId,
      userId: session.user.id,
        publicKey: JSON.stringify(proof.publicKey),
        name: input.request.browserSummary,
        createdAt: now,
        country: input.request.country,
      };
      if (!(await tx.devices.insert(device, { maxActive: MAX_ACTIVE_DEVICES }))) return "limit" as const;
      // Bound meanwhile (the device key won the race): the first binding stays,
      // and the throw takes the device just added back out with the transaction.
      if (!(await tx.sessions.bind(session.id, { binding: "dbsc", deviceId, proofDueAt }, { deviceId: null }))) throw new BoundMeanwhile();
      // A passkey used in this session, on this very browser: its device is trusted.
      if (session.methods.some((use) => use.method === "passkey")) await tx.devices.markTrusted(deviceId, session.user.id, now);
      return "bound_now" as const;
    })
    .catch((error: unknown) => {
      if (error instanceof BoundMeanwhile) return "bound" as const;
      throw error;
    });
  if (outcome === "limit") return refused(409, "device_limit_reached");
  if (outcome === "bound") return answer(200, [], dbscSessionEnded(session.id));
  return sessionAnswer(deps, session.id);
}

/**
 * A refresh: without a proof, a 403 with a fresh challenge; with one,
 * signed by the session's registered key, a new bound cookie and another
 * proof interval. A proof by any other key means someone else holds the
 * session's cookie: the session ends and the account is told, as for a
 * device key.
 */
export async function refreshDbscSession(
  deps: AuthDeps,
  input: { session: ActiveSession; headers: HeaderSource; request: RequestContext },
): Promise<DbscAnswer> {
  const { session } = input;
  const named = readSessionIdHeader(input.headers);
  // The browser names the session it refreshes; it must be the one its cookie is.
  if (!named.ok || named.value !== session.id) return refused(400, "other_session");
  const deviceId = session.deviceId;
  if (session.binding !== "dbsc" || !deviceId) return answer(200, [], dbscSessionEnded(session.id));

  const jws = readSessionResponseHeader(input.headers);
  if (!jws.ok && jws.reason === "missing") return refreshChallenge(deps, session, null);
  if (!jws.ok) return refused(400, `response_${jws.reason}`);
  const spent = await spendChallenge(deps, jws.value, "dbsc_refresh", session);
  // A late or repeated proof is a retry, not an attack: another challenge
  // (403), since any other 4xx would make the browser drop its session.
  if (!spent.ok && spent.reason.startsWith("challenge_")) return refreshChallenge(deps, session, spent.reason);
  if (!spent.ok) return refused(400, spent.reason);

  const device = await deps.store.devices.findForUser(deviceId, session.user.id);
  const publicKey = device && device.trust !== "revoked" ? storedKey(device.publicKey) : null;
  if (!publicKey) return refused(400, "unknown_device");
  const proof = await verifyRefreshJws({ jws: jws.value, publicKey, expectedChallenges: [spent.challenge], sessionId: session.id });
  if (!proof.ok) {
    await endSessionUsedElsewhere(deps, input);
    return answer(200, [], dbscSessionEnded(session.id));
  }
  const now = deps.clock.now();
  const proofDueAt = new Date(now.getTime() + deps.deviceProofIntervalSeconds * 1000);
  const renewed = await deps.store.devices.recordSessionProof({
    sessionId: session.id,
    userId: session.user.id,
    deviceId,
    binding: "dbsc",
    fromDeviceId: deviceId,
    proofDueAt,
    at: now,
    country: input.request.country,
    // Trusted, if ever, at registration (a passkey session) or by a step-up.
    trust: false,
  });
  return renewed.bound ? sessionAnswer(deps, session.id) : answer(200, [], dbscSessionEnded(session.id));
}

/** A 403 with a fresh challenge: what asks the browser for a (new) refresh proof. `reason`: why the last one was not taken. */
async function refreshChallenge(deps: AuthDeps, session: ActiveSession, reason: string | null): Promise<DbscAnswer> {
  const issued = await issueWebAuthnChallenge(deps, {
    purpose: "dbsc_refresh",
    userId: session.user.id,
    bindToBrowser: false,
    dbsc: { sessionId: session.id, deviceId: session.deviceId },
    ttlSeconds: DBSC_CHALLENGE_TTL_SECONDS,
  });
  const header = buildChallengeHeader({ challenge: challengeText(issued), sessionId: session.id });
  if (!header.ok) return answer(500, [], { error: "DBSC_UNAVAILABLE" });
  return answer(403, header.headers, reason ? { error: "DEVICE_PROOF_INVALID", reason } : null);
}

/** The instructions and the bound cookie, from one attribute string (dbsc-session-config.ts). */
function sessionAnswer(deps: AuthDeps, sessionId: string): DbscAnswer {
  const secure = deps.rp.origin.startsWith("https://");
  const cookie = dbscBoundCookie({
    name: secure ? "__Host-trustladder.dbsc" : "trustladder.dbsc",
    maxAgeSeconds: Math.max(60, deps.deviceProofIntervalSeconds - REFRESH_AHEAD_SECONDS),
  });
  if (!cookie.ok) return answer(500, [], { error: "DBSC_UNAVAILABLE" });
  // The value means nothing: the browser only needs the cookie to exist
  // until it has to refresh. The session's proofDueAt is what the server checks.
  const setCookie = dbscSetCookie(cookie.value, "1");
  const instructions = buildDbscSessionInstructions({ sessionId, refreshUrl: DBSC_REFRESH_PATH, origin: deps.rp.origin, cookie: cookie.value });
  if (!setCookie.ok || !instructions.ok) return answer(500, [], { error: "DBSC_UNAVAILABLE" });
  return answer(200, [["Set-Cookie", setCookie.value]], { ...instructions.value });
}

/**
 * The challenge the browser signed, found by the id it carries: the text
 * is `<challenge id>_<challenge>` (a row id has no `_`), so the signed
 * token itself says which challenge to spend. Spent before the signature
 * is checked, as every challenge here: a proof can be tried once.
 */
async function spendChallenge(
  deps: AuthDeps,
  jws: string,
  purpose: "dbsc_register" | "dbsc_refresh",
  session: ActiveSession,
): Promise<{ ok: true; challenge: string } | { ok: false; reason: string }> {
  let jti: unknown;
  try {
    jti = decodeJwt(jws).jti;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof jti !== "string") return { ok: false, reason: "malformed" };
  const split = jti.indexOf("_");
  if (split <= 0) return { ok: false, reason: "challenge_unknown" };
  const spent = await consumeWebAuthnChallenge(deps, { challengeId: jti.slice(0, split), purpose, binding: null });
  if (!spent.ok) return { ok: false, reason: spent.code.toLowerCase() };
  if (spent.value.sessionId !== session.id || spent.value.userId !== session.user.id) return { ok: false, reason: "other_session" };
  if (purpose === "dbsc_refresh" && spent.value.deviceId !== session.deviceId) return { ok: false, reason: "other_device" };
  return { ok: true, challenge: challengeText({ challengeId: jti.slice(0, split), challenge: spent.value.challenge }) };
}

/** The key as stored; a row that is not one (hand-edited, truncated) refuses the refresh instead of failing it. */
function storedKey(text: string) {
  try {
    return parseDbscPublicJwk(JSON.parse(text));
  } catch {
    return null;
  }
}

function challengeText(issued: { challengeId: string; challenge: string }): string {
  return `${issued.challengeId}_${issued.challenge}`;
}

/** Rolls a registration back when another binding got there first. */
class BoundMeanwhile extends Error {}

function refused(status: number, reason: string): DbscAnswer {
  return answer(status, [], { error: "DEVICE_PROOF_INVALID", reason });
}

function answer(status: number, headers: [string, string][], body: Record<string, unknown> | null): DbscAnswer {
  return { status, headers, body };
}
