"use client";

import {
  WebAuthnAbortService,
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
} from "@simplewebauthn/browser";
import { useLocale, useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useEffectEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { usePasskeyErrorText } from "./passkey-errors";
import { LatestAttempt, signInWithPasskey, type SignInOutcome } from "./passkey-sign-in";

type Phase = "idle" | "waiting" | "signing-in";

/**
 * "Sign in with a passkey", and the same sign-in offered in the email
 * field's autofill (conditional mediation) while `autofill` is true. The
 * sign-in form turns `autofill` off while it requests a magic link, which
 * aborts the waiting request: the person chose email.
 */
export function PasskeyButton({
  callbackUrl,
  autofill,
  prominent,
}: {
  callbackUrl: string;
  autofill: boolean;
  /** Primary styling, for a browser that used a passkey last time. */
  prominent: boolean;
}) {
  const t = useTranslations("passkeySignIn");
  const locale = useLocale();
  const router = useRouter();
  const errorText = usePasskeyErrorText();
  const [phase, setPhase] = useState<Phase>("idle");
  const [error, setError] = useState<string | null>(null);
  // Bumped to start a fresh autofill request after a button attempt ends.
  const [autofillRound, setAutofillRound] = useState(0);
  const [attempts] = useState(() => new LatestAttempt());

  function settle(outcome: SignInOutcome): void {
    switch (outcome.kind) {
      case "signed-in":
        setPhase("signing-in");
        router.replace(outcome.redirectTo);
        return;
      case "superseded":
        setPhase("idle");
        return;
      case "server-error":
        setError(errorText.server(outcome.result));
        setPhase("idle");
        return;
      case "browser-error":
        setError(errorText.browser(outcome.problem));
        setPhase("idle");
    }
  }
  // The autofill effect reports through this, so a re-render never restarts the request.
  const settleAutofill = useEffectEvent(settle);

  useEffect(() => {
    if (!autofill) return;
    const stillWanted = attempts.start();
    void (async () => {
      if (!(await browserSupportsWebAuthnAutofill()) || !stillWanted()) return;
      const outcome = await signInWithPasskey({
        locale,
        callbackUrl,
        autofill: true,
        stillWanted,
        onBrowserAnswered: () => setPhase("signing-in"),
      });
      // A failed autofill is not restarted by itself: a request that fails
      // at once would otherwise loop. The button (or a reload) tries again.
      if (stillWanted()) settleAutofill(outcome);
    })();
    return () => {
      // Only abort the browser's request if it is still this autofill's (the button may have taken over).
      if (!stillWanted()) return;
      attempts.supersedeAll();
      WebAuthnAbortService.cancelCeremony();
    };
  }, [attempts, autofill, autofillRound, locale, callbackUrl]);

  async function signInWithButton(): Promise<void> {
    setError(null);
    if (!browserSupportsWebAuthn()) {
      setError(errorText.browser("unsupported"));
      return;
    }
    const stillWanted = attempts.start();
    setPhase("waiting");
    const outcome = await signInWithPasskey({
      locale,
      callbackUrl,
      autofill: false,
      stillWanted,
      onBrowserAnswered: () => setPhase("signing-in"),
    });
    if (!stillWanted()) return;
    settle(outcome);
    // Cancelled or refused: offer the passkey in the email field's autofill again.
    if (outcome.kind !== "signed-in") setAutofillRound((round) => round + 1);
  }

  return (
    <div className="space-y-2">
      <Button
        type="button"
        variant={prominent ? "primary" : "secondary"}
        onClick={signInWithButton}
        disabled={phase !== "idle"}
        aria-describedby="passkey-hint"
      >
        {phase === "waiting" ? t("working") : phase === "signing-in" ? t("signingIn") : t("button")}
      </Button>
      <p id="passkey-hint" className="text-sm text-gray-600">
        {t("hint")}
      </p>
      {/* Present from the start, so what appears in it is announced. */}
      <div aria-live="polite">{error ? <FormMessage tone="error">{error}</FormMessage> : null}</div>
    </div>
  );
}
