"use client";

import { browserSupportsWebAuthn, startRegistration } from "@simplewebauthn/browser";
import { useLocale } from "next-intl";
import { useCallback, useState } from "react";
import { beginPasskeyRegistrationAction, finishPasskeyRegistrationAction } from "@/app/[locale]/(app)/passkey-actions";
import { ACTION_UNREACHABLE, type ActionResult } from "@/lib/auth/core/action-result";
import { browserProblemOf, usePasskeyErrorText } from "./passkey-errors";
import { proofAskedBy, useStepUp } from "./use-step-up";

/** How an attempt ended. */
export type RegistrationOutcome = "registered" | "failed" | "cancelled";

export interface RegisteredPasskey {
  id: string;
  name: string;
  backedUp: boolean;
  /** The account was emailed; this many other sessions could be signed out. */
  otherSessions: number;
}

/**
 * Adding a passkey from anywhere (Settings, the upgrade prompt): a server
 * challenge, the browser's dialog, the server's checks. Both server steps
 * are `security.factor.add`: when the policy asks for a proof first (a
 * step-up with the account's strongest factor, or an emailed code for an
 * account with none whose sign-in is old), `dialog` shows that step, and
 * after it the same step runs again. Render `dialog` in place of the form
 * while `asking`.
 */
export function usePasskeyRegistration(onOutcome?: (outcome: RegistrationOutcome) => void) {
  const locale = useLocale();
  const errorText = usePasskeyErrorText();
  const { withStepUp, dialog, asking } = useStepUp();
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [registered, setRegistered] = useState<RegisteredPasskey | null>(null);

  /** A refusal: nothing to say when the person cancelled the proof it asked for. */
  function refused(result: Extract<ActionResult<unknown>, { ok: false }>): RegistrationOutcome {
    if (proofAskedBy(result)) return "cancelled";
    setError(errorText.server(result));
    return "failed";
  }

  async function attempt(name: string | undefined): Promise<RegistrationOutcome> {
    if (!browserSupportsWebAuthn()) {
      setError(errorText.browser("unsupported"));
      return "failed";
    }
    const begun = await withStepUp(() => beginPasskeyRegistrationAction(locale));
    if (!begun.ok) return refused(begun);
    let response;
    try {
      response = await startRegistration({ optionsJSON: begun.data.options });
    } catch (thrown) {
      const problem = browserProblemOf(thrown);
      if (problem) setError(errorText.browser(problem));
      return problem ? "failed" : "cancelled";
    }
    // The policy judges the finish again; a refusal there (the proof aged
    // while the browser's dialog was open) is confirmed and the same
    // response sent again: the challenge is spent only past the policy.
    const finished = await withStepUp(() =>
      finishPasskeyRegistrationAction(locale, { challengeId: begun.data.challengeId, response, name }),
    );
    if (!finished.ok) return refused(finished);
    setRegistered({ ...finished.data.passkey, otherSessions: finished.data.otherSessions });
    return "registered";
  }

  /**
   * Conditional create: the browser's password manager makes the passkey
   * without a dialog, or the browser declines at once. Never opens a step
   * or an error: when the policy wants a proof first, or the browser says
   * no, the answer is false and the caller offers the ordinary prompt.
   */
  const registerQuietly = useCallback(async (): Promise<boolean> => {
    const begun = await beginPasskeyRegistrationAction(locale);
    if (!begun.ok) return false;
    const response = await startRegistration({ optionsJSON: begun.data.options, useAutoRegister: true }).catch(() => null);
    if (!response) return false;
    const finished = await finishPasskeyRegistrationAction(locale, { challengeId: begun.data.challengeId, response });
    if (!finished.ok) return false;
    setRegistered({ ...finished.data.passkey, otherSessions: finished.data.otherSessions });
    return true;
  }, [locale]);

  async function register(name?: string): Promise<void> {
    setError(null);
    setRegistered(null);
    setWorking(true);
    const outcome = await attempt(name).catch((): RegistrationOutcome => {
      // A server action threw (network, restart): say so instead of hanging.
      setError(errorText.server(ACTION_UNREACHABLE));
      return "failed";
    });
    setWorking(false);
    onOutcome?.(outcome);
  }

  return { register, registerQuietly, working, error, registered, dialog, asking };
}
