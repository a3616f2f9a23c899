"use client";

import { browserSupportsWebAuthn, startRegistration } from "@simplewebauthn/browser";
import { useLocale } from "next-intl";
import { useState } from "react";
import { beginPasskeyRegistrationAction, finishPasskeyRegistrationAction } from "@/app/[locale]/(app)/passkey-actions";
import { ACTION_UNREACHABLE } from "@/lib/auth/core/action-result";
import { browserProblemOf, usePasskeyErrorText } from "./passkey-errors";
import { reauthProofFor, useReauth } from "./use-reauth";

/** How an attempt ended; "waiting" means the re-confirmation step is showing. */
export type RegistrationOutcome = "registered" | "failed" | "cancelled" | "waiting";

export interface RegisteredPasskey {
  id: string;
  name: string;
  backedUp: boolean;
  /** The account was emailed; this many other sessions could be signed out. */
  otherSessions: number;
}

/**
 * Adding a passkey from anywhere (Settings, the upgrade prompt): a server
 * challenge, the browser's dialog, the server's checks. When the server
 * asks for a re-confirmation first (REAUTH_REQUIRED: an emailed code, for
 * an account without a passkey whose sign-in is over 10 minutes old;
 * PASSKEY_REAUTH_REQUIRED: one of its passkeys, for an account that has
 * one), that step shows, and after it the whole attempt runs again with the
 * same name.
 */
export function usePasskeyRegistration(onOutcome?: (outcome: RegistrationOutcome) => void) {
  const locale = useLocale();
  const errorText = usePasskeyErrorText();
  const reauth = useReauth();
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [registered, setRegistered] = useState<RegisteredPasskey | null>(null);

  async function attempt(name: string | undefined): Promise<RegistrationOutcome> {
    if (!browserSupportsWebAuthn()) {
      setError(errorText.browser("unsupported"));
      return "failed";
    }
    const begun = await beginPasskeyRegistrationAction(locale);
    const beginProof = begun.ok ? null : reauthProofFor(begun.error);
    if (beginProof) {
      reauth.require(() => void register(name), beginProof);
      return "waiting";
    }
    if (!begun.ok) {
      setError(errorText.server(begun));
      return "failed";
    }
    let response;
    try {
      response = await startRegistration({ optionsJSON: begun.data.options });
    } catch (thrown) {
      const problem = browserProblemOf(thrown);
      if (problem) setError(errorText.browser(problem));
      return problem ? "failed" : "cancelled";
    }
    const finished = await finishPasskeyRegistrationAction(locale, {
      challengeId: begun.data.challengeId,
      response,
      name,
    });
    const finishProof = finished.ok ? null : reauthProofFor(finished.error);
    if (finishProof) {
      reauth.require(() => void register(name), finishProof);
      return "waiting";
    }
    if (!finished.ok) {
      setError(errorText.server(finished));
      return "failed";
    }
    setRegistered({ ...finished.data.passkey, otherSessions: finished.data.otherSessions });
    return "registered";
  }

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

  return { register, working, error, registered, reauth };
}
