"use client";

import { browserSupportsWebAuthn, startRegistration } from "@simplewebauthn/browser";
import { useLocale } from "next-intl";
import { useState } from "react";
import { beginPasskeyRegistrationAction, finishPasskeyRegistrationAction } from "@/app/[locale]/(app)/passkey-actions";
import { ACTION_UNREACHABLE } from "@/lib/auth/action-result";
import { browserProblemOf, usePasskeyErrorText } from "./passkey-errors";
import { useReauth } from "./use-reauth";

/** How an attempt ended; "waiting" means the re-confirmation step is showing. */
export type RegistrationOutcome = "registered" | "failed" | "cancelled" | "waiting";

export interface RegisteredPasskey {
  id: string;
  name: string;
  backedUp: boolean;
}

/**
 * Adding a passkey from anywhere (Settings, the upgrade prompt): a server
 * challenge, the browser's dialog, the server's checks. When the server
 * answers REAUTH_REQUIRED (the last sign-in is over 10 minutes old), the
 * re-confirmation step shows, and after a correct code the whole attempt
 * runs again with the same name.
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
    if (!begun.ok && begun.error === "REAUTH_REQUIRED") {
      reauth.require(() => void register(name));
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
    if (!finished.ok && finished.error === "REAUTH_REQUIRED") {
      reauth.require(() => void register(name));
      return "waiting";
    }
    if (!finished.ok) {
      setError(errorText.server(finished));
      return "failed";
    }
    setRegistered(finished.data.passkey);
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
