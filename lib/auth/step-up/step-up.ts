import {
  generateAuthenticationOptions,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { newRowId } from "../../db/ids";
import { insertAuditRow, type AuditRowFor } from "../core/audit";
import type { AuthDeps } from "../core/deps";
import { failure, success, type Failure, type Result } from "../core/errors";
import { limitFailure } from "../core/limit-failure";
import type { RequestContext } from "../core/request-context";
import { rotateSessionAfterStepUp, type ActiveSession } from "../core/sessions";
import { checkDeviceStepUp, DEVICE_CHALLENGE_TTL_SECONDS } from "../devices/device-proving";
import { recordPasskeyUse, verifyPasskeyAssertion, type VerifiedAssertion } from "../passkeys/passkey-assertion";
import { storedTransports } from "../passkeys/passkey-transports";
import { consumeWebAuthnChallenge, issueWebAuthnChallenge } from "../passkeys/webauthn-challenges";
import { decide, ESCALATED_PROOF_SECONDS } from "../policy/decide";
import { STEP_UP_METHODS, type StepUpMethod } from "../policy/types";
import type { WebAuthnPurpose } from "../store/types";
import { verifyTotpCode } from "../totp/totp-verification";
import { policyContextFor } from "./policy-context";
import { refusalOf } from "./require-action";
import { stepUpMethods } from "./step-up-methods";

/**
 * A step-up: a signed-in person proves a strong factor again, for one
 * action (B4 §2.2.3's re-authentication, scoped). The proof becomes a grant
 * for that session and action until the action's window ends; it never
 * creates a session nor raises the session's level, and it gives the
 * session a new token (ASVS 7.2.4). Email never satisfies one (B4 §3.1.3.1).
 *
 * The challenge (the one challenge store, purpose step_up, step_up_totp or
 * device_step_up) names the session and the action: another session, or a
 * grant for another action, cannot be had from it. A device's challenge
 * also names the device the session is bound to.
 */

const CHALLENGE_PURPOSE: Record<StepUpMethod, WebAuthnPurpose> = {
  passkey: "step_up",
  totp: "step_up_totp",
  device: "device_step_up",
};

export interface StepUpStart {
  challengeId: string;
  method: StepUpMethod;
  /** For a passkey: the browser's WebAuthn request options, limited to the account's own passkeys. */
  options: PublicKeyCredentialRequestOptionsJSON | null;
  /** For a device: the challenge its key signs, in a statement of purpose `step_up` (docs/device-proof.md). */
  challenge: string | null;
  binding: string | null;
  expiresAt: Date;
}

export async function beginStepUp(
  deps: AuthDeps,
  input: { session: ActiveSession; action: string; method: string; request: RequestContext; bindToBrowser: boolean },
): Promise<Result<StepUpStart>> {
  const { session, action } = input;
  const rule = Object.hasOwn(deps.policy.table, action) ? deps.policy.table[action] : undefined;
  if (!rule) return failure("VALIDATION_FAILED", { fields: { action: "UNKNOWN_ACTION" } });
  const method = stepUpMethodOf(input.method);
  if (!method) return failure("METHOD_NOT_ALLOWED", { details: { action, method: input.method.slice(0, 32) } });

  const context = await policyContextFor(deps, { session, action, request: input.request });
  const decision = decide(deps.policy.table, action, context);
  const offered = stepUpMethods(decision, rule, context);
  if (!offered) return refusalOf(action, decision) as Failure;
  if (!offered.includes(method)) return failure("METHOD_NOT_ALLOWED", { details: { action, method, methods: offered } });

  const limited = await limitFailure(deps.limits, "passkeyBeginPerIp", input.request.ipLimitKey);
  if (limited) return limited;
  const stepUp = { sessionId: session.id, action };
  const userId = session.user.id;
  if (method === "totp") {
    const issued = await issueWebAuthnChallenge(deps, { purpose: "step_up_totp", userId, bindToBrowser: input.bindToBrowser, stepUp });
    return success({ challengeId: issued.challengeId, method, options: null, challenge: null, binding: issued.binding, expiresAt: issued.expiresAt });
  }
  if (method === "device") {
    // Offered only on a session bound to a trusted device (decide.ts). The
    // signature names the session, so no cookie ties the challenge to this
    // browser; no person is in the loop, so it lives as long as a device proof's.
    if (!session.deviceId) return failure("METHOD_NOT_ALLOWED", { details: { action, method, methods: offered } });
    const issued = await issueWebAuthnChallenge(deps, {
      purpose: "device_step_up",
      userId,
      bindToBrowser: false,
      stepUp,
      deviceProof: { sessionId: session.id, deviceId: session.deviceId },
      ttlSeconds: DEVICE_CHALLENGE_TTL_SECONDS,
    });
    return success({ challengeId: issued.challengeId, method, options: null, challenge: issued.challenge, binding: null, expiresAt: issued.expiresAt });
  }
  const passkeys = await deps.store.passkeys.listForUser(userId);
  const issued = await issueWebAuthnChallenge(deps, { purpose: "step_up", userId, bindToBrowser: input.bindToBrowser, stepUp });
  const options = await generateAuthenticationOptions({
    rpID: deps.rp.id,
    challenge: isoBase64URL.toBuffer(issued.challenge),
    userVerification: "required",
    // The person is signed in: naming their own credentials reveals nothing,
    // and the browser offers only this account's passkeys.
    allowCredentials: passkeys.map((passkey) => ({ id: passkey.credentialId, transports: storedTransports(passkey.transports) })),
  });
  return success({ challengeId: issued.challengeId, method, options, challenge: null, binding: issued.binding, expiresAt: issued.expiresAt });
}

export interface StepUpGranted {
  grant: { action: string; method: StepUpMethod; expiresAt: Date };
  sessionToken: string;
  sessionExpiresAt: Date;
}

export async function verifyStepUp(
  deps: AuthDeps,
  input: {
    session: ActiveSession;
    challengeId: string;
    binding: string | null;
    proof:
      | { method: "passkey"; response: AuthenticationResponseJSON }
      | { method: "totp"; code: string }
      | { method: "device"; signature: string };
    auditRow: AuditRowFor;
  },
): Promise<Result<StepUpGranted>> {
  const { session, proof } = input;
  const purpose = CHALLENGE_PURPOSE[proof.method];
  // A device's challenge is not tied to a cookie (its signature names the session).
  const binding = proof.method === "device" ? null : input.binding;
  const spent = await consumeWebAuthnChallenge(deps, { challengeId: input.challengeId, purpose, binding });
  if (!spent.ok) return spent;
  // Started in this very session: a challenge (and so a grant) cannot cross sessions.
  if (spent.value.sessionId !== session.id || spent.value.userId !== session.user.id || !spent.value.action) {
    return failure("CHALLENGE_INVALID");
  }
  const action = spent.value.action;

  let assertion: VerifiedAssertion | null = null;
  if (proof.method === "passkey") {
    const verified = await verifyPasskeyAssertion(deps, { challenge: spent.value.challenge, response: proof.response });
    // Someone else's valid passkey proves nothing about this session's person.
    const refused = !verified.ok ? verified : verified.value.passkey.userId !== session.user.id ? failure("PASSKEY_INVALID") : null;
    if (refused) {
      await deps.limits.consume("proofFailuresPerUser", session.user.id);
      return refused;
    }
    assertion = verified.ok ? verified.value : null;
  } else if (proof.method === "totp") {
    const checked = await verifyTotpCode(deps, { userId: session.user.id, code: proof.code });
    if (!checked.ok) return checked;
  } else {
    const checked = await checkDeviceStepUp(deps, {
      session,
      deviceId: spent.value.deviceId,
      challenge: spent.value.challenge,
      signature: proof.signature,
    });
    if (!checked.ok) {
      await deps.limits.consume("proofFailuresPerUser", session.user.id);
      return checked;
    }
  }

  const now = deps.clock.now();
  const rule = deps.policy.table[action];
  const expiresAt = new Date(now.getTime() + (rule?.proof?.maxAgeSeconds ?? ESCALATED_PROOF_SECONDS) * 1000);
  const outcome = await deps.store.transaction(async (tx) => {
    if (assertion && !(await recordPasskeyUse(tx.passkeys, assertion, now))) return "counter" as const;
    const rotated = await rotateSessionAfterStepUp(tx.sessions, { sessionId: session.id });
    if (!rotated) return "gone" as const;
    await tx.grants.insert({ id: newRowId(), sessionId: session.id, userId: session.user.id, action, method: proof.method, createdAt: now, expiresAt });
    // A passkey step-up on a session bound to its device makes that device trusted (lib/auth/devices).
    if (assertion && session.deviceId) await tx.devices.markTrusted(session.deviceId, session.user.id, now);
    await insertAuditRow(tx, input.auditRow({ details: { action, method: proof.method, challengeId: input.challengeId } }));
    return rotated;
  });
  if (outcome === "counter") return failure("COUNTER_REGRESSION", { audit: { details: { passkeyId: assertion?.passkey.id ?? null } } });
  // The session ended (signed out elsewhere) while the person confirmed.
  if (outcome === "gone") return failure("UNAUTHENTICATED");
  return success({
    grant: { action, method: proof.method, expiresAt },
    sessionToken: outcome.sessionToken,
    sessionExpiresAt: outcome.expiresAt,
  });
}

function stepUpMethodOf(method: string): StepUpMethod | null {
  return STEP_UP_METHODS.find((known) => known === method) ?? null;
}
