import { newRowId } from "../../db/ids";
import type { AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import { BINDING_BYTES, digestsEqual, randomToken, sha256Hex } from "../core/secrets";

/**
 * Server challenges live in the database (never in process memory, so two
 * app instances work), are single use, expire after 5 minutes (a device
 * proof's sooner: lib/auth/devices) and, when a browser asked, are bound to
 * it by an HttpOnly cookie (WA §13.4.3).
 */
export const WEBAUTHN_CHALLENGE_TTL_SECONDS = 5 * 60;
/** 32 random bytes, twice WA §13.4.3's 16-byte floor. */
const CHALLENGE_BYTES = 32;

/**
 * One store for every challenge the server hands a browser to sign; the
 * purpose keeps a challenge to the ceremony it was issued for: a sign-in,
 * adding a passkey, a signed-in person's step-up (lib/auth/step-up), or a
 * device proof (lib/auth/devices).
 */
import type { WebAuthnChallengeRow, WebAuthnPurpose } from "../store/types";

export type ChallengePurpose = WebAuthnPurpose;

export interface IssuedWebAuthnChallenge {
  challengeId: string;
  challenge: string;
  /** For a browser: the cookie value that binds the challenge to it. */
  binding: string | null;
  expiresAt: Date;
}

export async function issueWebAuthnChallenge(
  deps: Pick<AuthDeps, "store" | "clock">,
  input: {
    purpose: ChallengePurpose;
    userId: string | null;
    bindToBrowser: boolean;
    /** A step-up's session and action: only that session may finish it, only for that action. */
    stepUp?: { sessionId: string; action: string };
    /** A device proof's session and device (lib/auth/devices): only that session, only that device's key. */
    deviceProof?: { sessionId: string; deviceId: string };
    /** A native DBSC registration's or refresh's session, and for a refresh its device (lib/auth/devices/dbsc). */
    dbsc?: { sessionId: string; deviceId: string | null };
    /** Default WEBAUTHN_CHALLENGE_TTL_SECONDS; a device proof's is shorter (no person in the loop). */
    ttlSeconds?: number;
  },
): Promise<IssuedWebAuthnChallenge> {
  const now = deps.clock.now();
  const challengeId = newRowId();
  const challenge = randomToken(CHALLENGE_BYTES);
  const binding = input.bindToBrowser ? randomToken(BINDING_BYTES) : null;
  const expiresAt = new Date(now.getTime() + (input.ttlSeconds ?? WEBAUTHN_CHALLENGE_TTL_SECONDS) * 1000);
  await deps.store.webauthnChallenges.insert({
    id: challengeId,
    purpose: input.purpose,
    challenge,
    userId: input.userId,
    sessionId: input.stepUp?.sessionId ?? input.deviceProof?.sessionId ?? input.dbsc?.sessionId ?? null,
    action: input.stepUp?.action ?? null,
    deviceId: input.deviceProof?.deviceId ?? input.dbsc?.deviceId ?? null,
    // An API client holds the challengeId alone; a browser must also hold the cookie.
    bindingHash: binding ? sha256Hex(binding) : "",
    createdAt: now,
    expiresAt,
  });
  return { challengeId, challenge, binding, expiresAt };
}

/**
 * Takes a challenge out of play: one conditional update that must touch
 * exactly one row, so the same response posted twice in parallel verifies
 * once. The challenge is spent even if verification then fails.
 */
export async function consumeWebAuthnChallenge(
  deps: Pick<AuthDeps, "store" | "clock">,
  input: { challengeId: string; purpose: ChallengePurpose; binding: string | null },
): Promise<Result<Pick<WebAuthnChallengeRow, "challenge" | "userId" | "sessionId" | "action" | "deviceId">>> {
  const now = deps.clock.now();
  const row = await deps.store.webauthnChallenges.findById(input.challengeId);
  if (!row || row.purpose !== input.purpose) return failure("CHALLENGE_INVALID");
  if (row.bindingHash !== "" && !(input.binding && digestsEqual(sha256Hex(input.binding), row.bindingHash))) {
    // Another browser's challenge: refused without spending it.
    return failure("CHALLENGE_INVALID");
  }
  if (row.status !== "pending") return failure("CHALLENGE_USED");
  if (row.expiresAt <= now) return failure("CHALLENGE_EXPIRED");

  if (!(await deps.store.webauthnChallenges.spend(row.id, now))) return failure("CHALLENGE_USED");
  return success({ challenge: row.challenge, userId: row.userId, sessionId: row.sessionId, action: row.action, deviceId: row.deviceId });
}
