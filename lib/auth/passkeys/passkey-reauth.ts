import {
  generateAuthenticationOptions,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import type { AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import { limitFailure } from "../core/limit-failure";
import { recordPasskeyUse, verifyPasskeyAssertion } from "./passkey-assertion";
import { insertAuditRow, type AuditRowFor } from "../core/audit";
import { storedTransports } from "./passkey-transports";
import type { RequestContext } from "../core/request-context";
import { rotateSessionWithMethod, type ActiveSession } from "../core/sessions";
import { consumeWebAuthnChallenge, issueWebAuthnChallenge } from "./webauthn-challenges";

/**
 * Re-confirmation with a passkey: a signed-in person proves it is still
 * them with one of THEIR passkeys before changing their passkeys (ASVS
 * 7.5.1; recent-auth.ts says when this is needed). The proof is recorded on
 * the session as a "passkey" use and the session gets a new token (ASVS
 * 7.2.4). Its level does not change: the session keeps the origin it was
 * created with (docs/assurance-model.md: never rated above the ceremony that created it).
 * The challenge lives in the one WebAuthn challenge store, with its own
 * purpose, so a sign-in challenge cannot be spent here nor this one there.
 */

export interface ReauthStart {
  challengeId: string;
  options: PublicKeyCredentialRequestOptionsJSON;
  binding: string | null;
  expiresAt: Date;
}

export async function beginPasskeyReauth(
  deps: AuthDeps,
  input: { session: ActiveSession; bindToBrowser: boolean; context: RequestContext },
): Promise<Result<ReauthStart>> {
  const limited = await limitFailure(deps.limits, "passkeyBeginPerIp", input.context.ipLimitKey);
  if (limited) return limited;
  const userId = input.session.user.id;
  const passkeys = await deps.store.passkeys.listForUser(userId);
  // Nothing to confirm with: the account's proof is the emailed code.
  if (passkeys.length === 0) return failure("REAUTH_REQUIRED");
  const issued = await issueWebAuthnChallenge(deps, { purpose: "reauthentication", userId, bindToBrowser: input.bindToBrowser });
  const options = await generateAuthenticationOptions({
    rpID: deps.rp.id,
    challenge: isoBase64URL.toBuffer(issued.challenge),
    userVerification: "required",
    // The person is signed in, so naming their own credentials reveals
    // nothing, and the browser offers only this account's passkeys.
    allowCredentials: passkeys.map((passkey) => ({ id: passkey.credentialId, transports: storedTransports(passkey.transports) })),
  });
  return success({ challengeId: issued.challengeId, options, binding: issued.binding, expiresAt: issued.expiresAt });
}

export interface PasskeyReauthenticated {
  sessionToken: string;
  expiresAt: Date;
  reauthenticatedAt: Date;
  passkeyId: string;
}

export async function finishPasskeyReauth(
  deps: AuthDeps,
  input: {
    session: ActiveSession;
    challengeId: string;
    binding: string | null;
    response: AuthenticationResponseJSON;
    auditRow: AuditRowFor;
  },
): Promise<Result<PasskeyReauthenticated>> {
  const spent = await consumeWebAuthnChallenge(deps, { challengeId: input.challengeId, purpose: "reauthentication", binding: input.binding });
  if (!spent.ok) return spent;
  const userId = input.session.user.id;
  // Issued to this session's account; another account's session cannot finish it.
  if (spent.value.userId !== userId) return failure("CHALLENGE_INVALID");
  const verified = await verifyPasskeyAssertion(deps, { challenge: spent.value.challenge, response: input.response });
  if (!verified.ok) return verified;
  // A valid passkey of someone else proves nothing about this session's person.
  if (verified.value.passkey.userId !== userId) return failure("PASSKEY_INVALID");
  const passkeyId = verified.value.passkey.id;

  const now = deps.clock.now();
  const rotated = await deps.store.transaction(async (tx) => {
    if (!(await recordPasskeyUse(tx.passkeys, verified.value, now))) return "counter" as const;
    const next = await rotateSessionWithMethod(tx.sessions, deps.clock, { sessionId: input.session.id, method: "passkey" });
    if (!next) return "gone" as const;
    await insertAuditRow(tx, input.auditRow({ details: { method: "passkey", passkeyId } }));
    return next;
  });
  if (rotated === "counter") return failure("COUNTER_REGRESSION", { audit: { details: { passkeyId } } });
  // The session ended (signed out elsewhere) while the person confirmed.
  if (rotated === "gone") return failure("UNAUTHENTICATED");
  return success({ ...rotated, reauthenticatedAt: now, passkeyId });
}
