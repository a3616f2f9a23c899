"use server";

import { refresh } from "next/cache";
import { actionResultFrom, type ActionResult } from "@/lib/auth/core/action-result";
import type { TotpFactorAdded } from "@/lib/auth/totp/totp-enrollment";
import type { TotpFactorDeleted } from "@/lib/auth/totp/totp-management";
import { totpQrSvg } from "@/lib/auth/totp/totp-qr";
import { localeFrom } from "@/lib/i18n/paths";
import { runBrowserCommand } from "@/lib/server/browser-command";

/**
 * Authenticator apps on Settings → Security: each action is one command
 * (the command checks the session, the origin, the policy and the input).
 * Called from client code, not a form: a refusal may ask for a proof first
 * (STEP_UP_REQUIRED, ACTION_DENIED), and the page then asks for it and
 * calls again.
 */

/** What the page shows to enrol an app: the QR code, rendered here (the secret goes to no QR service), and the same secret to type. */
export interface TotpEnrollmentView {
  enrollmentId: string;
  /** Base32 in groups of four, as a person types it. */
  manualKey: string;
  /** For a phone adding its own app: the same secret, as a link the app opens. */
  otpauthUri: string;
  /** SVG made of numbers only (lib/auth/totp/totp-qr.ts): safe to inline. */
  qrSvg: string;
}

export async function beginTotpEnrollmentAction(locale: unknown): Promise<ActionResult<TotpEnrollmentView>> {
  const result = actionResultFrom(await runBrowserCommand("AUTH.TOTP.ENROLL.BEGIN", {}, localeFrom(locale)));
  if (!result.ok) return result;
  const { enrollmentId, secret, otpauthUri } = result.data;
  return { ok: true, data: { enrollmentId, manualKey: secret, otpauthUri, qrSvg: await totpQrSvg(otpauthUri) } };
}

export async function finishTotpEnrollmentAction(
  locale: unknown,
  input: { enrollmentId: string; code: string },
): Promise<ActionResult<TotpFactorAdded>> {
  const params = { enrollmentId: String(input?.enrollmentId ?? ""), code: String(input?.code ?? "") };
  const result = actionResultFrom(await runBrowserCommand("AUTH.TOTP.ENROLL.FINISH", params, localeFrom(locale)));
  if (result.ok) refresh();
  return result;
}

export async function deleteTotpFactorAction(locale: unknown, id: string): Promise<ActionResult<TotpFactorDeleted>> {
  const result = actionResultFrom(await runBrowserCommand("AUTH.TOTP.DELETE", { id: String(id) }, localeFrom(locale)));
  if (result.ok) refresh();
  return result;
}
