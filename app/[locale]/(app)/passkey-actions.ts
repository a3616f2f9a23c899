"use server";

import type { DeliveryStatus } from "@/lib/delivery/outbox";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/browser";
import { actionResultFrom, untrustedRecord, type ActionResult } from "@/lib/auth/core/action-result";
import { unchecked } from "@/lib/auth/core/registry";
import { runBrowserCommand } from "@/lib/server/browser-command";
import type { PROMPT_ACTIONS, PromptEvent } from "@/lib/auth/passkeys/passkey-prompt";
import { localeFrom } from "@/lib/i18n/paths";

/**
 * The signed-in side of passkeys, shared by Settings → Security and the
 * upgrade prompt: adding a passkey, the re-confirmation it may need first
 * (an emailed code, or a passkey once the account has one), and the
 * prompt's eligibility and events. Each is one command;
 * the command checks the session, the origin and the input.
 */

/** The valuable action the upgrade prompt follows. */
export type PromptAction = (typeof PROMPT_ACTIONS)[number];

export interface PasskeyRegistrationStart {
  challengeId: string;
  options: PublicKeyCredentialCreationOptionsJSON;
}

/**
 * Answers REAUTH_REQUIRED (no passkey yet, and no sign-in or re-confirmation
 * in the last 10 minutes) or PASSKEY_REAUTH_REQUIRED (the account has a
 * passkey, and this session has not used one in the last 10 minutes).
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

export interface PasskeyReauthStart {
  challengeId: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

/** Re-confirmation with one of the account's passkeys; the challenge is bound to this browser by a cookie. */
export async function beginPasskeyReauthAction(locale: unknown): Promise<ActionResult<PasskeyReauthStart>> {
  return actionResultFrom(await runBrowserCommand("AUTH.PASSKEY.REAUTH.BEGIN", {}, localeFrom(locale)));
}

/** On success the session cookie is rotated by the command's effects. */
export async function finishPasskeyReauthAction(
  locale: unknown,
  input: { challengeId: string; response: AuthenticationResponseJSON },
): Promise<ActionResult<{ reauthenticatedAt: string }>> {
  const { challengeId, response } = untrustedRecord(input);
  return actionResultFrom(
    await runBrowserCommand("AUTH.PASSKEY.REAUTH.FINISH", unchecked({ challengeId, response }), localeFrom(locale)),
  );
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
