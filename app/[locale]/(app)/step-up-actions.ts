"use server";

import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { actionResultFrom, untrustedRecord, type ActionResult } from "@/lib/auth/core/action-result";
import { unchecked } from "@/lib/auth/core/registry";
import type { StepUpMethod } from "@/lib/auth/policy/types";
import { runBrowserCommand } from "@/lib/server/browser-command";
import { localeFrom } from "@/lib/i18n/paths";

/**
 * The step-up's two steps for the browser (components/auth/step-up-panel.tsx):
 * a challenge for one action and method, then the proof. Each is one
 * command; the command checks the session, the origin and the input.
 */

export interface StepUpStarted {
  challengeId: string;
  method: StepUpMethod;
  options?: PublicKeyCredentialRequestOptionsJSON;
  /** For `device`: what this browser's device key signs (components/auth/device-key.ts). */
  challenge?: string;
}

export async function beginStepUpAction(locale: unknown, input: { action: string; method: StepUpMethod }): Promise<ActionResult<StepUpStarted>> {
  const { action, method } = untrustedRecord(input);
  return actionResultFrom(await runBrowserCommand("AUTH.STEP_UP.BEGIN", unchecked({ action, method }), localeFrom(locale)));
}

export type StepUpProof =
  | { challengeId: string; response: AuthenticationResponseJSON }
  | { challengeId: string; code: string }
  | { challengeId: string; signature: string };

export async function verifyStepUpAction(
  locale: unknown,
  input: StepUpProof,
): Promise<ActionResult<{ grant: { action: string; method: string; expiresAt: string } }>> {
  const { challengeId, response, code, signature } = untrustedRecord(input);
  const params = response !== undefined ? { challengeId, response } : signature !== undefined ? { challengeId, signature } : { challengeId, code };
  return actionResultFrom(await runBrowserCommand("AUTH.STEP_UP.VERIFY", unchecked(params), localeFrom(locale)));
}
