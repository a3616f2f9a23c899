import { listPasskeys, type PasskeySummary } from "../auth/passkeys/passkey-management";
import { serverDeps } from "../auth/core/server-deps";

/**
 * The security page's list of passkeys, read while rendering (a page GET
 * cannot run a command: it carries no Origin and cannot set cookies). The
 * same read as AUTH.PASSKEY.LIST, scoped to the signed-in user.
 */
export async function passkeysForPage(userId: string): Promise<PasskeySummary[]> {
  return listPasskeys(serverDeps(), userId);
}

export type { PasskeySummary };
