import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { isoBase64URL, parseAuthenticatorData } from "@simplewebauthn/server/helpers";
import type { AuthDeps } from "./deps";
import { failure, success, type Result } from "./errors";
import { limitFailure } from "./limit-failure";
import { notifyCounterRegression } from "./passkey-notifications";
import { backupFlagsConsistent, counterRegressed, userIdFromHandle } from "./passkey-rules";
import { storedTransports } from "./passkey-transports";
import type { RequestContext } from "./request-context";
import { createSession, type NewSession } from "./sessions";
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
  const limited = input.context.ip ? await limitFailure(deps.limits, "passkeyBeginPerIp", input.context.ip) : null;
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
  input: { challengeId: string; binding: string | null; response: AuthenticationResponseJSON; context: RequestContext },
): Promise<Result<PasskeySignedIn>> {
  const spent = await consumeWebAuthnChallenge(deps, { challengeId: input.challengeId, purpose: "authentication", binding: input.binding });
  if (!spent.ok) return spent;

  // WA §7.2 steps 5-6: look the credential up by its id, then check it
  // belongs to the account the user handle names.
  const { response } = input;
  if (response.id !== response.rawId) return failure("PASSKEY_INVALID");
  const passkey = await deps.db.passkey.findUnique({
    where: { credentialId: response.id },
    include: { user: { select: { id: true, email: true, locale: true } } },
  });
  if (!passkey) return failure("PASSKEY_INVALID");
  const handle = response.response.userHandle;
  if (handle !== undefined && userIdFromHandle(handle) !== passkey.userId) return failure("PASSKEY_INVALID");

  const authData = parsedAuthenticatorData(response.response.authenticatorData);
  if (!authData) return failure("PASSKEY_INVALID");
  const { flags } = authData;
  // BE is fixed when a credential is made; BS may change, but never without BE.
  if (!backupFlagsConsistent(flags.be, flags.bs) || flags.be !== passkey.backupEligible) return failure("PASSKEY_INVALID");

  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: spent.value.challenge,
      expectedOrigin: deps.rp.origin,
      expectedRPID: deps.rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: new Uint8Array(passkey.publicKey),
        // The counter is checked below, by us, so a regression can be told
        // apart from a bad signature; the library sees a counter it accepts.
        counter: 0,
        transports: storedTransports(passkey.transports),
      },
      requireUserVerification: true,
    });
  } catch {
    return failure("PASSKEY_INVALID");
  }
  // A bad signature does not throw: it answers verified=false (SECURITY.md).
  if (!verification.verified) return failure("PASSKEY_INVALID");

  const received = verification.authenticationInfo.newCounter;
  if (counterRegressed(passkey.counter, received)) {
    await notifyCounterRegression(deps, passkey.user, passkey.name);
    return failure("COUNTER_REGRESSION");
  }

  const now = deps.clock.now();
  const session = await deps.db.$transaction(async (tx) => {
    // Conditional on the counter we compared against: a parallel use of a
    // cloned credential cannot both pass.
    const updated = await tx.passkey.updateMany({
      where: { id: passkey.id, counter: passkey.counter },
      data: { counter: BigInt(received), lastUsedAt: now, backedUp: flags.bs },
    });
    if (updated.count !== 1) return null;
    // A user-verified passkey is AAL2 and phishing-resistant (B4).
    return createSession(tx, deps.clock, { userId: passkey.userId, aal: 2, method: "passkey", context: input.context });
  });
  if (!session) return failure("COUNTER_REGRESSION");
  return success({ ...session, user: { id: passkey.user.id, email: passkey.user.email }, passkeyId: passkey.id });
}

function parsedAuthenticatorData(encoded: string): ReturnType<typeof parseAuthenticatorData> | null {
  try {
    if (!isoBase64URL.isBase64URL(encoded)) return null;
    return parseAuthenticatorData(isoBase64URL.toBuffer(encoded));
  } catch {
    return null;
  }
}
