import { newRowId } from "../../db/ids";
import type { AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import { limitFailure } from "../core/limit-failure";
import type { RequestContext } from "../core/request-context";
import type { DeviceRow } from "../store/types";
import type { DevicePublicKey } from "./device-proof";

/**
 * The account's devices: each the public half of a key a browser (or an
 * app) made and keeps, never extractable (docs/device-proof.md). A device
 * is registered by the session it is used in, renamed by its owner, and
 * revoked for good: its key is refused from then on and the sessions bound
 * to it end at once.
 */

/** Devices an account keeps unrevoked: enough for every browser a person uses, not a table anyone can fill. */
export const MAX_ACTIVE_DEVICES = 20;
export const DEVICE_NAME_MAX_LENGTH = 64;

/** What a device list shows about one device; its key never leaves the server. */
export interface DeviceListing {
  id: string;
  name: string;
  trust: DeviceRow["trust"];
  /** The device the asking session is bound to. */
  current: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  country: string | null;
}

export async function registerDevice(
  deps: Pick<AuthDeps, "store" | "clock" | "limits">,
  input: { userId: string; publicKey: DevicePublicKey; name?: string; request: RequestContext },
): Promise<Result<{ deviceId: string }>> {
  const limited = await limitFailure(deps.limits, "deviceRegistrationsPerUser", input.userId);
  if (limited) return limited;
  const { kty, crv, x, y } = input.publicKey;
  const deviceId = newRowId();
  const device = {
    id: deviceId,
    userId: input.userId,
    // Only the public coordinates: ext and key_ops say nothing the server needs.
    publicKey: JSON.stringify({ kty, crv, x, y }),
    // "Chrome · Android", from the User-Agent, until the person names it.
    name: input.name ?? input.request.browserSummary,
    createdAt: deps.clock.now(),
    country: input.request.country,
  };
  const added = await deps.store.devices.insert(device, { maxActive: MAX_ACTIVE_DEVICES });
  return added ? success({ deviceId }) : failure("DEVICE_LIMIT_REACHED");
}

export async function listDevices(
  deps: Pick<AuthDeps, "store">,
  input: { userId: string; currentDeviceId: string | null },
): Promise<DeviceListing[]> {
  const rows = await deps.store.devices.listForUser(input.userId);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    trust: row.trust,
    current: row.id === input.currentDeviceId,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    country: row.country,
  }));
}

/**
 * Revokes one of the account's devices and ends every session bound to it,
 * together: a revoked key never keeps a session alive. Another account's
 * device, or one already revoked, is NOT_FOUND, so ids reveal nothing.
 */
export async function revokeDevice(
  deps: Pick<AuthDeps, "store" | "clock">,
  input: { userId: string; deviceId: string },
): Promise<Result<{ sessionsEnded: number }>> {
  const outcome = await deps.store.transaction(async (tx) => {
    if (!(await tx.devices.revoke(input.deviceId, input.userId, deps.clock.now()))) return null;
    return tx.sessions.deleteForDevice(input.userId, input.deviceId);
  });
  return outcome === null ? failure("NOT_FOUND") : success({ sessionsEnded: outcome });
}
