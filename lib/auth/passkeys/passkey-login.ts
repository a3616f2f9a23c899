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
import type { RequestContext } from "../core/request-context";
import { createSession, type NewSession } from "../core/sessions";
import { consumeWebAuthnChallenge, issueWebAuthnChallenge } from "./webauthn-challenges";

export interface LoginStart {
  challengeId: string;
  options: PublicKeyCredentialRequestOptionsJSON;
  binding: string | null;
  expiresAt: Date;
}

/**
 * Sign-in with a discoverable credential: no account is named up front, so
 * the options are the same for everyone and say nothing about which
 * addresses have passkeys (ASVS 6.3.8).
 */
export async function beginPasskeyLogin(
  deps: AuthDeps,
  input: { bindToBrowser: boolean; context: RequestContext },
): Promise<Result<LoginStart>> {
  const limited = await limitFailure(deps.limits, "passkeyBeginPerIp", input.context.ipLimitKey);
  if (limited) return limited;
  const issued = await issueWebAuthnChallenge(deps, { purpose: "authentication", userId: null, bindToBrowser: input.bindToBrowser });
  const options = await generateAuthenticationOptions({
    rpID: deps.rp.id,
    challenge: isoBase64URL.toBuffer(issued.challenge),
    userVerification: "required",
    allowCredentials: [],
  });
  return success({ challengeId: issued.challengeId, options, binding: issued.binding, expiresAt: issued.expiresAt });
}

export interface PasskeySignedIn extends NewSession {
  user: { id: string; email: string };
  passkeyId: string;
}

export async function finishPasskeyLogin(
  deps: AuthDeps,
  input: {
    challengeId: string;
    binding: string | null;
    response: AuthenticationResponseJSON;
    context: RequestContext;
    auditRow: AuditRowFor;
  },
): Promise<Result<PasskeySignedIn>> {
  const spent = await consumeWebAuthnChallenge(deps, { challengeId: input.challengeId, purpose: "authentication", binding: input.binding });
  if (!spent.ok) return spent;
  const verified = await verifyPasskeyAssertion(deps, { challenge: spent.value.challenge, response: input.response });
  if (!verified.ok) return verified;
  const { passkey, user } = verified.value;

  const now = deps.clock.now();
  // The counter, the session and its audit event commit together: a
  // sign-in is never granted with its record lost (issue 17 item 8).
  const session = await deps.store.transaction(async (tx) => {
    if (!(await recordPasskeyUse(tx.passkeys, verified.value, now))) return null;
    // A user-verified passkey is AAL2 and phishing-resistant (B4). The
    // session remembers which passkey made it, so removing that passkey
    // ends it (passkey-management.ts).
    const created = await createSession(tx.sessions, deps.clock, {
      userId: passkey.userId,
      aal: 2,
      method: "passkey",
      context: input.context,
      passkeyId: passkey.id,
    });
    await insertAuditRow(
      tx,
      input.auditRow({ userId: user.id, sessionId: created.sessionId, details: { method: "passkey", passkeyId: passkey.id } }),
    );
    return created;
  });
  if (!session) return failure("COUNTER_REGRESSION", { audit: { userId: user.id, details: { passkeyId: passkey.id } } });
  return success({ ...session, user: { id: user.id, email: user.email }, passkeyId: passkey.id });
}
