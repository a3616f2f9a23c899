import { z } from "zod";
import { failure, success } from "../core/errors";
import { defineCommand } from "../core/command-types";
import { devicePublicKeySchema, deviceSignatureSchema as signature } from "./device-proof";
import { issueDeviceChallenge, proveDevice } from "./device-proving";
import { DEVICE_NAME_MAX_LENGTH, listDevices, registerDevice, revokeDevice } from "./device-registry";

/** A row id as the stores make them; anything longer is not one. */
const deviceId = z.string().min(1).max(64);
/** A person's name for a device: one line, trimmed, not empty. */
const deviceName = z
  .string()
  .trim()
  .min(1, "NAME_REQUIRED")
  .max(DEVICE_NAME_MAX_LENGTH, "NAME_TOO_LONG")
  .regex(/^[^\p{Cc}]+$/u, "NAME_INVALID");

/**
 * Registers this browser's device key (its public JWK). The device is
 * `new` until a passkey sign-in or step-up is made on it. Allowed while a
 * proof is due: a browser that lost its key registers a new one to prove.
 */
export const registerDeviceCommand = defineCommand({
  name: "AUTH.DEVICE.REGISTER",
  requiresSession: true,
  whileDeviceProofDue: true,
  input: z.strictObject({ publicKey: devicePublicKeySchema, name: deviceName.optional() }),
  async handle({ params, deps, ctx, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const registered = await registerDevice(deps, { userId: session.user.id, publicKey: params.publicKey, name: params.name, request: ctx.request });
    if (!registered.ok) return registered;
    return success({ data: registered.value, audit: { details: { deviceId: registered.value.deviceId } } });
  },
});

export const deviceChallengeCommand = defineCommand({
  name: "AUTH.DEVICE.CHALLENGE",
  requiresSession: true,
  whileDeviceProofDue: true,
  input: z.strictObject({ deviceId, purpose: z.enum(["register", "session"]) }),
  async handle({ params, deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const issued = await issueDeviceChallenge(deps, { session, deviceId: params.deviceId, purpose: params.purpose });
    if (!issued.ok) return issued;
    return success({
      data: { challengeId: issued.value.challengeId, challenge: issued.value.challenge, expiresAt: issued.value.expiresAt.toISOString() },
      audit: { details: { deviceId: params.deviceId, purpose: params.purpose, challengeId: issued.value.challengeId } },
    });
  },
});

/** Checks a proof; purpose `session` binds this session to the device (docs/device-proof.md). */
export const proveDeviceCommand = defineCommand({
  name: "AUTH.DEVICE.PROVE",
  requiresSession: true,
  whileDeviceProofDue: true,
  input: z.strictObject({ challengeId: z.string().min(1).max(64), purpose: z.enum(["register", "session"]), signature }),
  async handle({ params, deps, ctx, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const proved = await proveDevice(deps, { session, ...params, request: ctx.request });
    if (!proved.ok) return proved;
    return success({ data: proved.value, audit: { details: { ...proved.value, challengeId: params.challengeId } } });
  },
});

export const listDevicesCommand = defineCommand({
  name: "AUTH.DEVICE.LIST",
  requiresSession: true,
  readOnly: true,
  input: z.strictObject({}),
  async handle({ deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const listed = await listDevices(deps, { userId: session.user.id, currentDeviceId: session.deviceId });
    const devices = listed.map((device) => ({
      ...device,
      createdAt: device.createdAt.toISOString(),
      lastSeenAt: device.lastSeenAt.toISOString(),
    }));
    return success({ data: { devices }, audit: { details: { listed: devices.length } } });
  },
});

export const renameDeviceCommand = defineCommand({
  name: "AUTH.DEVICE.RENAME",
  requiresSession: true,
  input: z.strictObject({ deviceId, name: deviceName }),
  async handle({ params, deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    // Another account's device, or a revoked one, is NOT_FOUND: ids reveal nothing.
    if (!(await deps.store.devices.rename(params.deviceId, session.user.id, params.name))) return failure("NOT_FOUND");
    return success({ data: { renamed: true }, audit: { details: { deviceId: params.deviceId } } });
  },
});

/**
 * Revokes a device for good: its key is refused from then on and every
 * session bound to it ends at once, this one too when it is this device
 * (then its cookie is cleared).
 */
export const revokeDeviceCommand = defineCommand({
  name: "AUTH.DEVICE.REVOKE",
  requiresSession: true,
  input: z.strictObject({ deviceId }),
  async handle({ params, deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const revoked = await revokeDevice(deps, { userId: session.user.id, deviceId: params.deviceId });
    if (!revoked.ok) return revoked;
    const thisDevice = session.deviceId === params.deviceId;
    return success({
      data: { revoked: true, sessionsEnded: revoked.value.sessionsEnded },
      effects: thisDevice ? [{ kind: "clear-session" as const }] : [],
      audit: { details: { deviceId: params.deviceId, sessionsEnded: revoked.value.sessionsEnded } },
    });
  },
});
