import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { enqueueEmail } from "../../delivery/outbox";
import type { Locale } from "../../i18n/locales";
import type { AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import { insertAuditRow, type AuditRowFor } from "../core/audit";
import { dispatchNotice } from "../core/notice";
import { factorChangeEmail } from "./passkey-notifications";
import { backupFlagsConsistent, credentialIdAcceptable, passkeyName, userHandleFor } from "./passkey-rules";
import { storedTransports } from "./passkey-transports";
import type { RequestContext } from "../core/request-context";
import { countOtherSessions, type ActiveSession } from "../core/sessions";
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
 * Adding a passkey binds a new authenticator to the account. Who may is the
 * policy's to say, before this runs: both commands declare
 * `security.factor.add` (a recent proof with the strongest factor the
 * account has; for a first strong factor, a recent sign-in of any kind). The
 * credential must be discoverable and user-verifying.
 */
export async function beginPasskeyRegistration(
  deps: AuthDeps,
  input: { session: ActiveSession; bindToBrowser: boolean },
): Promise<Result<RegistrationStart>> {
  const user = input.session.user;
  const existing = await deps.store.passkeys.listForUser(user.id);
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

export interface PasskeyAdded {
  passkey: RegisteredPasskey;
  /** The account was emailed; these other sessions could be signed out (ASVS 7.4.3). */
  otherSessions: number;
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
    /** For the notice email, when the account has no stored locale. */
    locale: Locale;
    auditRow: AuditRowFor;
  },
): Promise<Result<PasskeyAdded>> {
  const spent = await consumeWebAuthnChallenge(deps, { challengeId: input.challengeId, purpose: "registration", binding: input.binding });
  if (!spent.ok) return spent;
  const user = input.session.user;
  // The challenge was issued to this account; another account cannot finish it.
  if (spent.value.userId !== user.id) return failure("CHALLENGE_INVALID");
  // The policy judged this finish afresh (a passkey added since the begin
  // raises what it needs); the count is for the audit event.
  const hasPasskey = (await deps.store.passkeys.countForUser(user.id)) > 0;

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

  const taken = await deps.store.passkeys.findByCredentialId(credentialId);
  if (taken) return failure("PASSKEY_ALREADY_REGISTERED");
  const name = passkeyName(input.name, input.context.browserSummary);
  const notice = await factorChangeEmail(deps, {
    change: "passkeyAdded",
    user,
    fallbackLocale: input.locale,
    passkeyName: name,
    device: input.context.browserSummary,
  });
  let added: { passkey: RegisteredPasskey; messageId: string };
  try {
    // The passkey, its notice and its audit event commit together or not at all.
    added = await deps.store.transaction(async (tx) => {
      const stored = await tx.passkeys.insert({
        userId: user.id,
        credentialId,
        publicKey: info.credential.publicKey,
        counter: info.credential.counter,
        transports: JSON.stringify(info.credential.transports ?? []),
        backupEligible,
        backedUp: info.credentialBackedUp,
        aaguid: info.aaguid,
        name,
        createdAt: deps.clock.now(),
      });
      const passkey = { id: stored.id, name: stored.name, backedUp: stored.backedUp };
      const messageId = await enqueueEmail(tx.outbox, deps.clock, notice);
      await insertAuditRow(tx, input.auditRow({ details: { passkeyId: passkey.id, synced: passkey.backedUp, firstPasskey: !hasPasskey } }));
      return { passkey, messageId };
    });
  } catch (error) {
    // Two accounts racing to register one credential id: the unique index decides.
    if (isUniqueViolation(error)) return failure("PASSKEY_ALREADY_REGISTERED");
    throw error;
  }
  await dispatchNotice(deps, added.messageId);
  const otherSessions = await countOtherSessions(deps.store.sessions, deps.clock, { userId: user.id, keepSessionId: input.session.id });
  return success({ passkey: added.passkey, otherSessions });
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
