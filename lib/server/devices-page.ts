import { serverDeps } from "../auth/core/server-deps";
import { listDevices, type DeviceListing } from "../auth/devices/device-registry";
import type { SessionView } from "./current-session";

/**
 * Settings → Devices' list, read while rendering (a page GET cannot run a
 * command): the same read as AUTH.DEVICE.LIST, for the signed-in account.
 */
export async function devicesForPage(session: SessionView): Promise<DeviceListing[]> {
  return listDevices(serverDeps(), { userId: session.user.id, currentDeviceId: session.deviceId });
}

export type { DeviceListing };
