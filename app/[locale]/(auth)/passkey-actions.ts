"use server";

import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { actionResultFrom, untrustedRecord, type ActionResult } from "@/lib/auth/core/action-result";
import { unchecked } from "@/lib/auth/core/registry";
import { runBrowserCommand } from "@/lib/server/browser-command";
import { safeRedirectPath } from "@/lib/auth/core/safe-redirect";
import { localeFrom, localizedPath } from "@/lib/i18n/paths";

/**
 * Passkey sign-in runs in two round trips around the browser's own dialog,
 * so these actions are called from client code rather than posted as
 * forms. They stay thin: the command validates everything (the response's
 * shape included) and the challenge is bound to this browser by a cookie.
 */

export interface PasskeySignInStart {
  challengeId: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

export async function beginPasskeySignInAction(locale: unknown): Promise<ActionResult<PasskeySignInStart>> {
  const execution = await runBrowserCommand("AUTH.PASSKEY.LOGIN.BEGIN", {}, localeFrom(locale));
  return actionResultFrom(execution);
}

export interface PasskeySignInFinish {
  challengeId: string;
  response: AuthenticationResponseJSON;
  /** Where to go afterwards; anything but a same-origin path becomes home. */
  callbackUrl: string;
}

export async function finishPasskeySignInAction(
  locale: unknown,
  input: PasskeySignInFinish,
): Promise<ActionResult<{ redirectTo: string }>> {
  const appLocale = localeFrom(locale);
  const { challengeId, response, callbackUrl } = untrustedRecord(input);
  const execution = await runBrowserCommand("AUTH.PASSKEY.LOGIN.FINISH", unchecked({ challengeId, response }), appLocale);
  const result = actionResultFrom(execution);
  if (!result.ok) return result;
  // Only a same-origin path survives (ASVS 3.7.2), under the reader's locale.
  return { ok: true, data: { redirectTo: localizedPath(appLocale, safeRedirectPath(callbackUrl)) } };
}
