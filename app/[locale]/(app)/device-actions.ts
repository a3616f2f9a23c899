"use server";

import { actionResultFrom, untrustedRecord, type ActionResult } from "@/lib/auth/core/action-result";
import { unchecked } from "@/lib/auth/core/registry";
import { runBrowserCommand } from "@/lib/server/browser-command";
import { localeFrom } from "@/lib/i18n/paths";

/**
 * What this browser's device key needs from the server
 * (components/auth/device-key.ts): which session and device it is in,
 * registering the key, and one proof. Each is one command; the command
 * checks the session, the origin and the input.
 */

export interface DeviceSessionState {
  userId: string;
  sessionId: string;
  binding: string;
  deviceId: string | null;
  deviceProofDueAt: string | null;
}

export async function deviceSessionAction(locale: unknown): Promise<ActionResult<DeviceSessionState>> {
  const result = actionResultFrom(await runBrowserCommand("AUTH.SESSION.GET", {}, localeFrom(locale)));
  if (!result.ok) return result;
  const { user, session } = result.data;
  return {
    ok: true,
    data: { userId: user.id, sessionId: session.id, binding: session.binding, deviceId: session.deviceId, deviceProofDueAt: session.deviceProofDueAt },
  };
}

export async function registerDeviceAction(locale: unknown, publicKey: unknown): Promise<ActionResult<{ deviceId: string }>> {
  return actionResultFrom(await runBrowserCommand("AUTH.DEVICE.REGISTER", unchecked({ publicKey }), localeFrom(locale)));
}

export async function deviceChallengeAction(
  locale: unknown,
  input: { deviceId: string },
): Promise<ActionResult<{ challengeId: string; challenge: string; expiresAt: string }>> {
  const { deviceId } = untrustedRecord(input);
  return actionResultFrom(await runBrowserCommand("AUTH.DEVICE.CHALLENGE", unchecked({ deviceId, purpose: "session" }), localeFrom(locale)));
}

export async function proveDeviceAction(
  locale: unknown,
  input: { challengeId: string; signature: string },
): Promise<ActionResult<{ deviceId: string; trust: string }>> {
  const { challengeId, signature } = untrustedRecord(input);
  return actionResultFrom(await runBrowserCommand("AUTH.DEVICE.PROVE", unchecked({ challengeId, purpose: "session", signature }), localeFrom(locale)));
}
