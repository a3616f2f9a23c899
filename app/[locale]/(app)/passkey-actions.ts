"use server";

import type { DeliveryStatus } from "@/lib/delivery/outbox";
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from "@simplewebauthn/browser";
import { actionResultFrom, untrustedRecord, type ActionResult } from "@/lib/auth/core/action-result";
import { unchecked } from "@/lib/auth/core/registry";
import { runBrowserCommand } from "@/lib/server/browser-command";
import type { PROMPT_ACTIONS, PromptEvent } from "@/lib/auth/passkeys/passkey-prompt";
import { localeFrom } from "@/lib/i18n/paths";

/**
 * The signed-in side of passkeys, shared by Settings → Security and the
 * upgrade prompt: adding a passkey, the emailed-code re-confirmation an
 * account with no strong factor may need first (a step-up is
 * step-up-actions.ts), and the prompt's eligibility and events. Each is one
 * command; the command checks the session, the origin, the policy and the input.
 */

/** The valuable action the upgrade prompt follows. */
export type PromptAction = (typeof PROMPT_ACTIONS)[number];

export interface PasskeyRegistrationStart {
  challengeId: string;
  options: PublicKeyCredentialCreationOptionsJSON;
}

/**
 * `security.factor.add`, like its finish: may answer STEP_UP_REQUIRED (a
 * recent proof with the account's strongest factor is missing) or
 * ACTION_DENIED (for an account with no strong factor and no sign-in in the
 * last 10 minutes: `reauthentication_required`, which an emailed code lifts).
 */
export async function beginPasskeyRegistrationAction(locale: unknown): Promise<ActionResult<PasskeyRegistrationStart>> {
  return actionResultFrom(await runBrowserCommand("AUTH.PASSKEY.REGISTER.BEGIN", {}, localeFrom(locale)));
}

export interface PasskeyRegistrationFinish {
  challengeId: string;
  response: RegistrationResponseJSON;
  /** Optional; the server names it after the browser when empty. */
  name?: string;
}

export async function finishPasskeyRegistrationAction(
  locale: unknown,
  input: PasskeyRegistrationFinish,
): Promise<ActionResult<{ passkey: { id: string; name: string; backedUp: boolean }; otherSessions: number }>> {
  const { challengeId, response, name } = untrustedRecord(input);
  const params = { challengeId, response, ...(typeof name === "string" && name.trim() ? { name } : {}) };
  return actionResultFrom(await runBrowserCommand("AUTH.PASSKEY.REGISTER.FINISH", unchecked(params), localeFrom(locale)));
}

export interface ReauthCodeSent {
  challengeId: string;
  expiresAt: string;
  delivery: DeliveryStatus;
}

export async function requestReauthCodeAction(locale: unknown): Promise<ActionResult<ReauthCodeSent>> {
  return actionResultFrom(await runBrowserCommand("AUTH.REAUTH.REQUEST", {}, localeFrom(locale)));
}

/** On success the session cookie is rotated by the command's effects. */
export async function verifyReauthCodeAction(
  locale: unknown,
  input: { challengeId: string; code: string },
): Promise<ActionResult<{ reauthenticatedAt: string }>> {
  const { challengeId, code } = untrustedRecord(input);
  const params = { challengeId, code: typeof code === "string" ? code.trim() : code };
  return actionResultFrom(await runBrowserCommand("AUTH.REAUTH.VERIFY", unchecked(params), localeFrom(locale)));
}

export async function checkPasskeyPromptAction(
  locale: unknown,
  action: PromptAction,
): Promise<ActionResult<{ eligible: boolean }>> {
  return actionResultFrom(await runBrowserCommand("AUTH.PASSKEY.PROMPT.CHECK", { action }, localeFrom(locale)));
}

export async function recordPasskeyPromptAction(
  locale: unknown,
  input: { action: PromptAction; event: PromptEvent },
): Promise<ActionResult<Record<string, never>>> {
  const { action, event } = untrustedRecord(input);
  return actionResultFrom(await runBrowserCommand("AUTH.PASSKEY.PROMPT.RECORD", unchecked({ action, event }), localeFrom(locale)));
}

/** What the browser's Signal API tells the passkey providers (components/auth/passkey-signals.ts). */
export async function passkeySignalStateAction(locale: unknown) {
  return actionResultFrom(await runBrowserCommand("AUTH.PASSKEY.SIGNAL_STATE", {}, localeFrom(locale)));
}
