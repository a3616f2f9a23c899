import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import type { AuthDeps } from "./deps";
import { failure, success, type Result } from "./errors";
import { backupFlagsConsistent, credentialIdAcceptable, passkeyName, userHandleFor } from "./passkey-rules";
import { isRecentlyAuthenticated } from "./recent-auth";
import { storedTransports } from "./passkey-transports";
import type { RequestContext } from "./request-context";
import type { ActiveSession } from "./sessions";
import { consumeWebAuthnChallenge, issueWebAuthnChallenge } from "./webauthn-challenges";

/** ES256 and RS256: what platform authenticators and security keys make. */
export const SUPPORTED_ALGORITHMS = [-7, -257];

export interface RegistrationStart {
  challengeId: string;
  options: PublicKeyCredentialCreationOptionsJSON;
  binding: string | null;
  expiresAt: Date;
}

/**
 * Adding a passkey binds a new authenticator to the account, so it needs a
 * recent sign-in (REAUTH_REQUIRED otherwise; the UI then asks for a fresh
 * email code). The credential must be discoverable and user-verifying.
 */
export async function beginPasskeyRegistration(
  deps: AuthDeps,
  input: { session: ActiveSession; bindToBrowser: boolean },
): Promise<Result<RegistrationStart>> {
  if (!isRecentlyAuthenticated(input.session, deps.clock.now())) return failure("REAUTH_REQUIRED");
  const user = input.session.user;
  const existing = await deps.db.passkey.findMany({ where: { userId: user.id }, select: { credentialId: true, transports: true } });
  const issued = await issueWebAuthnChallenge(deps, { purpose: "registration", userId: user.id, bindToBrowser: input.bindToBrowser });
  const options = await generateRegistrationOptions({
    rpName: deps.rp.name,
    rpID: deps.rp.id,
    userName: user.email,
    userDisplayName: user.email,
    userID: userHandleFor(user.id),
    challenge: isoBase64URL.toBuffer(issued.challenge),
    attestationType: "none",
    // The same authenticator cannot be registered twice to this account.
    excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: storedTransports(passkey.transports) })),
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
  });
  return success({ challengeId: issued.challengeId, options, binding: issued.binding, expiresAt: issued.expiresAt });
}

export interface RegisteredPasskey {
  id: string;
  name: string;
  backedUp: boolean;
}

export async function finishPasskeyRegistration(
  deps: AuthDeps,
  input: {
    session: ActiveSession;
    challengeId: string;
    binding: string | null;
    response: RegistrationResponseJSON;
    name?: string;
    context: RequestContext;
  },
): Promise<Result<RegisteredPasskey>> {
  const spent = await consumeWebAuthnChallenge(deps, { challengeId: input.challengeId, purpose: "registration", binding: input.binding });
  if (!spent.ok) return spent;
  // The challenge was issued to this account; another account cannot finish it.
  if (spent.value.userId !== input.session.user.id) return failure("CHALLENGE_INVALID");
  if (!isRecentlyAuthenticated(input.session, deps.clock.now())) return failure("REAUTH_REQUIRED");

  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: spent.value.challenge,
      expectedOrigin: deps.rp.origin,
      expectedRPID: deps.rp.id,
      requireUserVerification: true,
      supportedAlgorithmIDs: SUPPORTED_ALGORITHMS,
    });
  } catch {
    // Malformed CBOR, wrong origin, wrong RP ID hash, missing UV: all the
    // same answer to the caller; the library's message stays here.
    return failure("PASSKEY_INVALID");
  }
  if (!verification.verified) return failure("PASSKEY_INVALID");

  const info = verification.registrationInfo;
  const credentialId = info.credential.id;
  if (!credentialIdAcceptable(credentialId)) return failure("PASSKEY_INVALID");
  const backupEligible = info.credentialDeviceType === "multiDevice";
  if (!backupFlagsConsistent(backupEligible, info.credentialBackedUp)) return failure("PASSKEY_INVALID");

  const taken = await deps.db.passkey.findUnique({ where: { credentialId }, select: { id: true } });
  if (taken) return failure("PASSKEY_ALREADY_REGISTERED");
  try {
    const created = await deps.db.passkey.create({
      data: {
        userId: input.session.user.id,
        credentialId,
        publicKey: Buffer.from(info.credential.publicKey),
        counter: BigInt(info.credential.counter),
        transports: JSON.stringify(info.credential.transports ?? []),
        backupEligible,
        backedUp: info.credentialBackedUp,
        aaguid: info.aaguid,
        name: passkeyName(input.name, input.context.browserSummary),
        createdAt: deps.clock.now(),
      },
      select: { id: true, name: true, backedUp: true },
    });
    return success(created);
  } catch (error) {
    // Two accounts racing to register one credential id: the unique index decides.
    if (isUniqueViolation(error)) return failure("PASSKEY_ALREADY_REGISTERED");
    throw error;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
