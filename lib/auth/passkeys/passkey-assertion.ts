import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from "@simplewebauthn/server";
import { isoBase64URL, parseAuthenticatorData } from "@simplewebauthn/server/helpers";
import type { AuthDeps } from "../core/deps";
import type { PasskeyStore } from "../store/types";
import { failure, success, type Result } from "../core/errors";
import { notifyCounterRegression } from "./passkey-notifications";
import { backupFlagsConsistent, counterRegressed, userIdFromHandle } from "./passkey-rules";
import { storedTransports } from "./passkey-transports";

/**
 * One passkey assertion checked as WebAuthn §7.2 asks, for both ceremonies
 * that take one: a sign-in (passkey-login.ts) and a signed-in person's
 * step-up (lib/auth/step-up/step-up.ts). The challenge has already been spent.
 */

export interface VerifiedAssertion {
  passkey: { id: string; userId: string; name: string; counter: number };
  user: { id: string; email: string; locale: string | null };
  /** The counter to store, and the backup state the authenticator reports now. */
  newCounter: number;
  backedUp: boolean;
}

export async function verifyPasskeyAssertion(
  deps: AuthDeps,
  input: { challenge: string; response: AuthenticationResponseJSON },
): Promise<Result<VerifiedAssertion>> {
  // WA §7.2 steps 5-6: look the credential up by its id, then check it
  // belongs to the account the user handle names.
  const { response } = input;
  if (response.id !== response.rawId) return failure("PASSKEY_INVALID");
  const passkey = await deps.store.passkeys.findByCredentialId(response.id);
  // Its own code, so the browser can be told to forget it: it names a
  // credential, never an account, so it reveals nobody.
  if (!passkey) return failure("PASSKEY_UNKNOWN");
  // Every passkey here is discoverable (residentKey "required" at
  // registration), so its authenticator always returns the user handle: a
  // response without one is not from the credential we registered, and is
  // refused rather than matched on the credential id alone (WA §7.2 step 6).
  const handle = response.response.userHandle;
  const refused = failure("PASSKEY_INVALID", { audit: { userId: passkey.userId } });
  if (!handle || userIdFromHandle(handle) !== passkey.userId) return refused;

  const authData = parsedAuthenticatorData(response.response.authenticatorData);
  if (!authData) return refused;
  const { flags } = authData;
  // BE is fixed when a credential is made; BS may change, but never without BE.
  if (!backupFlagsConsistent(flags.be, flags.bs) || flags.be !== passkey.backupEligible) return refused;

  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response,
      expectedChallenge: input.challenge,
      expectedOrigin: deps.rp.origin,
      expectedRPID: deps.rp.id,
      credential: {
        id: passkey.credentialId,
        publicKey: passkey.publicKey,
        // The counter is checked below, by us, so a regression can be told
        // apart from a bad signature; the library sees a counter it accepts.
        counter: 0,
        transports: storedTransports(passkey.transports),
      },
      requireUserVerification: true,
    });
  } catch {
    return refused;
  }
  // A bad signature does not throw: it answers verified=false (WA §7.2; docs/security.md).
  if (!verification.verified) return refused;

  const received = verification.authenticationInfo.newCounter;
  if (counterRegressed(passkey.counter, received)) {
    await notifyCounterRegression(deps, passkey.user, passkey.name);
    return failure("COUNTER_REGRESSION", { audit: { userId: passkey.userId, details: { passkeyId: passkey.id } } });
  }
  return success({
    passkey: { id: passkey.id, userId: passkey.userId, name: passkey.name, counter: passkey.counter },
    user: passkey.user,
    newCounter: received,
    backedUp: flags.bs,
  });
}

/**
 * Stores the new counter, conditional on the one we compared against: a
 * parallel use of a cloned credential cannot both pass. Runs inside the
 * ceremony's transaction; false when another use got there first.
 */
export function recordPasskeyUse(passkeys: PasskeyStore, assertion: VerifiedAssertion, now: Date): Promise<boolean> {
  return passkeys.recordUse(assertion.passkey.id, {
    expectedCounter: assertion.passkey.counter,
    counter: assertion.newCounter,
    at: now,
    backedUp: assertion.backedUp,
  });
}

function parsedAuthenticatorData(encoded: string): ReturnType<typeof parseAuthenticatorData> | null {
  try {
    if (!isoBase64URL.isBase64URL(encoded)) return null;
    return parseAuthenticatorData(isoBase64URL.toBuffer(encoded));
  } catch {
    return null;
  }
}
