import type { AuthDeps } from "../core/deps";
import { failure, success, type Failure, type Result } from "../core/errors";
import { limitFailure } from "../core/limit-failure";
import type { RequestContext } from "../core/request-context";
import type { ActiveSession } from "../core/sessions";
import { consumeWebAuthnChallenge, issueWebAuthnChallenge } from "../passkeys/webauthn-challenges";
import type { DeviceTrust, WebAuthnPurpose } from "../store/types";
import { devicePublicKeySchema, verifyDeviceProof, type DeviceProofPurpose } from "./device-proof";
import { endSessionUsedElsewhere } from "./session-moved-notice";

/**
 * A device proof's two steps (docs/device-proof.md): the server issues a
 * challenge for one device, one purpose and the asking session; the device
 * signs the statement; the server checks it against the key the device
 * registered. A `session` proof binds the session to the device, or keeps
 * a bound one going for another DEVICE_PROOF_INTERVAL_SECONDS.
 *
 * The challenges are the one challenge store's (lib/auth/passkeys/
 * webauthn-challenges.ts), with purposes of their own.
 */

/** No person signs a device proof, so its challenge needs only the time a round trip takes. */
export const DEVICE_CHALLENGE_TTL_SECONDS = 60;

/** The purposes AUTH.DEVICE.CHALLENGE offers; a `step_up` proof names its action, so it starts with AUTH.STEP_UP.BEGIN. */
export type OfferedDeviceProofPurpose = Exclude<DeviceProofPurpose, "step_up">;

const CHALLENGE_PURPOSE: Record<OfferedDeviceProofPurpose, WebAuthnPurpose> = {
  register: "device_register",
  session: "device_session",
};

export async function issueDeviceChallenge(
  deps: Pick<AuthDeps, "store" | "clock" | "limits">,
  input: { session: ActiveSession; deviceId: string; purpose: OfferedDeviceProofPurpose },
): Promise<Result<{ challengeId: string; challenge: string; expiresAt: Date }>> {
  const limited = await limitFailure(deps.limits, "deviceChallengesPerSession", input.session.id);
  if (limited) return limited;
  const device = await deps.store.devices.findForUser(input.deviceId, input.session.user.id);
  if (!device || device.trust === "revoked") return invalid("unknown_device");
  const issued = await issueWebAuthnChallenge(deps, {
    purpose: CHALLENGE_PURPOSE[input.purpose],
    userId: input.session.user.id,
    // The signature names the session; no cookie is needed to tie it to this browser.
    bindToBrowser: false,
    deviceProof: { sessionId: input.session.id, deviceId: device.id },
    ttlSeconds: DEVICE_CHALLENGE_TTL_SECONDS,
  });
  return success({ challengeId: issued.challengeId, challenge: issued.challenge, expiresAt: issued.expiresAt });
}

export interface DeviceProved {
  deviceId: string;
  purpose: OfferedDeviceProofPurpose;
  trust: DeviceTrust;
}

/**
 * Checks a proof. Refusals are DEVICE_PROOF_INVALID with the reason in the
 * audit event only. On a session already bound, a `session` proof whose
 * signature fails, or that another device makes, ends that session and
 * tells the account: whoever holds its cookie cannot prove the device it
 * started on.
 */
export async function proveDevice(
  deps: AuthDeps,
  input: { session: ActiveSession; purpose: OfferedDeviceProofPurpose; challengeId: string; signature: string; request: RequestContext },
): Promise<Result<DeviceProved>> {
  const { session } = input;
  // The browser's own binding (native DBSC, dbsc/) proves itself at its
  // refresh endpoint; a device-key proof for it is refused, and ends nothing.
  if (input.purpose === "session" && session.binding === "dbsc") return invalid("bound_by_browser");
  const checked = await checkProof(deps, input);
  if (!checked.ok) {
    // A signature that does not hold, not a challenge that was late or
    // sent twice (a retry must not sign the person out).
    const signatureFailed = checked.audit?.details?.reason === "bad_signature";
    if (input.purpose === "session" && session.binding !== "none" && signatureFailed) await endMovedSession(deps, input, checked);
    return checked;
  }
  const { deviceId } = checked.value;
  // A `register` proof only shows the key works: the registration itself recorded the device's first use.
  if (input.purpose !== "session") return success({ deviceId, purpose: input.purpose, trust: checked.value.trust });
  // A session bound to one device is never moved to another: a second
  // device's proof is a copied cookie, not a move.
  if (session.deviceId !== null && session.deviceId !== deviceId) {
    const refused = invalid("session_bound_elsewhere");
    await endMovedSession(deps, input, refused);
    return refused;
  }
  const now = deps.clock.now();
  const recorded = await deps.store.devices.recordSessionProof({
    sessionId: session.id,
    userId: session.user.id,
    deviceId,
    binding: "device-key",
    fromDeviceId: session.deviceId,
    proofDueAt: new Date(now.getTime() + deps.deviceProofIntervalSeconds * 1000),
    at: now,
    country: input.request.country,
    // A passkey used in this session, now shown to be on this device: the device is trusted.
    trust: session.methods.some((use) => use.method === "passkey"),
  });
  if (!recorded.bound) {
    // Ended meanwhile (signed out elsewhere while its browser proved), or bound by the browser's native binding first.
    return (await deps.store.sessions.findById(session.id)) ? invalid("session_bound_meanwhile") : failure("UNAUTHENTICATED");
  }
  return success({ deviceId, purpose: input.purpose, trust: recorded.trustedNow ? "trusted" : checked.value.trust });
}

async function checkProof(
  deps: AuthDeps,
  input: { session: ActiveSession; purpose: OfferedDeviceProofPurpose; challengeId: string; signature: string },
): Promise<Result<{ deviceId: string; trust: DeviceTrust }>> {
  const spent = await consumeWebAuthnChallenge(deps, {
    challengeId: input.challengeId,
    purpose: CHALLENGE_PURPOSE[input.purpose],
    binding: null,
  });
  // Unknown, another purpose's, already used or expired: one code, the reason audited.
  if (!spent.ok) return invalid(spent.code.toLowerCase());
  const { challenge, userId, sessionId, deviceId } = spent.value;
  if (userId !== input.session.user.id || sessionId !== input.session.id || !deviceId) return invalid("other_session");
  return verifyDeviceSignature(deps, { session: input.session, deviceId, purpose: input.purpose, challenge, signature: input.signature });
}

/**
 * A step-up confirmed on this device (lib/auth/step-up): the challenge was
 * issued for the device this session is bound to, and that device must
 * still be the session's and still trusted when the signature arrives.
 */
export async function checkDeviceStepUp(
  deps: Pick<AuthDeps, "store" | "rp">,
  input: { session: ActiveSession; deviceId: string | null; challenge: string; signature: string },
): Promise<Result<{ deviceId: string }>> {
  const { session, deviceId } = input;
  if (!deviceId || deviceId !== session.deviceId) return invalid("other_device");
  const verified = await verifyDeviceSignature(deps, { ...input, deviceId, purpose: "step_up" });
  if (!verified.ok) return verified;
  if (verified.value.trust !== "trusted") return invalid("untrusted_device", deviceId);
  return success({ deviceId });
}

/** The signature over the statement the server builds itself, checked with the key the device registered. */
async function verifyDeviceSignature(
  deps: Pick<AuthDeps, "store" | "rp">,
  input: { session: ActiveSession; deviceId: string; purpose: DeviceProofPurpose; challenge: string; signature: string },
): Promise<Result<{ deviceId: string; trust: DeviceTrust }>> {
  const { deviceId } = input;
  const device = await deps.store.devices.findForUser(deviceId, input.session.user.id);
  if (!device || device.trust === "revoked") return invalid("revoked_device", deviceId);
  const publicKey = devicePublicKeySchema.safeParse(jsonOrNull(device.publicKey));
  if (!publicKey.success) return invalid("stored_key_unreadable", deviceId);
  const verified = await verifyDeviceProof({
    publicKey: publicKey.data,
    // Built from what the server knows, never from what the client says:
    // its own origin, the challenge's purpose and the asking session.
    statement: { origin: deps.rp.origin, purpose: input.purpose, challenge: input.challenge, sessionId: input.session.id },
    signature: input.signature,
  });
  if (!verified) return invalid("bad_signature", deviceId);
  return success({ deviceId, trust: device.trust });
}

/** Ends a bound session whose device could not be proved, and tells the account once. */
async function endMovedSession(
  deps: AuthDeps,
  input: { session: ActiveSession; request: RequestContext },
  refusal: Failure,
): Promise<void> {
  const ended = await endSessionUsedElsewhere(deps, input);
  refusal.audit = { ...refusal.audit, details: { ...refusal.audit?.details, sessionEnded: ended } };
}

/** A stored key that is not JSON (a hand-edited row) is refused like any unreadable key, not answered with a 500. */
function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function invalid(reason: string, deviceId?: string): Failure {
  return failure("DEVICE_PROOF_INVALID", { audit: { details: { reason, ...(deviceId ? { deviceId } : {}) } } });
}
