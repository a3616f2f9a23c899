"use client";

import { useRouter } from "next/navigation";
import { Suspense, lazy, useEffect, useEffectEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { ACTION_UNREACHABLE } from "@/lib/auth/core/action-result";
import type { ClientIntl } from "@/lib/i18n/client-messages";
import { LatestAttempt } from "./latest-attempt";
import type { SignInAttempt, SignInOutcome } from "./passkey-sign-in";
import type { PasskeyFailure } from "./sign-in-feedback";

type Phase = "idle" | "waiting" | "signing-in";

/** The button's words, translated by the page on the server. */
export interface PasskeyButtonText {
  button: string;
  working: string;
  signingIn: string;
  hint: string;
}

/*
 * What only some visitors need is loaded when they need it
 * (docs/performance.md): the ceremony (@simplewebauthn/browser and the
 * server actions) when the browser can offer passkeys in autofill or at the
 * first press of the button; the failure's sentence when there is one.
 */
const loadCeremony = () => import("./passkey-sign-in");
let ceremony: Awaited<ReturnType<typeof loadCeremony>> | null = null;

async function signInWithPasskey(attempt: SignInAttempt): Promise<SignInOutcome> {
  try {
    ceremony ??= await loadCeremony();
  } catch {
    // The chunk could not be fetched (offline, a deploy replaced it): the same "try again" as a failed action.
    return { kind: "server-error", result: ACTION_UNREACHABLE };
  }
  return ceremony.signInWithPasskey(attempt);
}

const PasskeyFailureText = lazy(() => import("./sign-in-feedback").then((module) => ({ default: module.PasskeyFailureText })));

/** The check @simplewebauthn/browser makes (browserSupportsWebAuthn), without loading it to ask. */
function browserSupportsWebAuthn(): boolean {
  return typeof window !== "undefined" && typeof window.PublicKeyCredential === "function";
}

/** Whether the browser can offer passkeys in a field's autofill (as browserSupportsWebAuthnAutofill asks it). */
async function browserSupportsAutofill(): Promise<boolean> {
  if (!browserSupportsWebAuthn()) return false;
  const available: (() => Promise<boolean>) | undefined = PublicKeyCredential.isConditionalMediationAvailable;
  if (available === undefined) return false;
  try {
    return await available.call(PublicKeyCredential);
  } catch {
    return false;
  }
}

/**
 * "Sign in with a passkey", and the same sign-in offered in the email
 * field's autofill (conditional mediation) while `autofill` is true. The
 * sign-in form turns `autofill` off while it requests a magic link, which
 * aborts the waiting request: the person chose email.
 */
export function PasskeyButton({
  locale,
  callbackUrl,
  autofill,
  prominent,
  text,
  intl,
}: {
  locale: string;
  callbackUrl: string;
  autofill: boolean;
  /** Primary styling, for a browser that used a passkey last time. */
  prominent: boolean;
  text: PasskeyButtonText;
  /** For the failure's sentence, translated on demand. */
  intl: ClientIntl;
}) {
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>("idle");
  const [failure, setFailure] = useState<PasskeyFailure | null>(null);
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
        setFailure({ kind: "server", result: outcome.result });
        setPhase("idle");
        return;
      case "browser-error":
        setFailure({ kind: "browser", problem: outcome.problem });
        setPhase("idle");
    }
  }
  // The autofill effect reports through this, so a re-render never restarts the request.
  const settleAutofill = useEffectEvent(settle);

  useEffect(() => {
    if (!autofill) return;
    const stillWanted = attempts.start();
    void (async () => {
      // Where autofill is offered it starts on page load, so the ceremony is
      // loaded then; elsewhere it waits for the button.
      if (!(await browserSupportsAutofill()) || !stillWanted()) return;
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
      // Not loaded yet: no browser request was started, and none will be (stillWanted() is now false).
      ceremony?.cancelPasskeyCeremony();
    };
  }, [attempts, autofill, autofillRound, locale, callbackUrl]);

  async function signInWithButton(): Promise<void> {
    setFailure(null);
    if (!browserSupportsWebAuthn()) {
      setFailure({ kind: "browser", problem: "unsupported" });
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
        {phase === "waiting" ? text.working : phase === "signing-in" ? text.signingIn : text.button}
      </Button>
      <p id="passkey-hint" className="text-sm text-gray-600">
        {text.hint}
      </p>
      {/* Present from the start, so what appears in it is announced. */}
      <div aria-live="polite">
        {failure ? (
          <Suspense fallback={null}>
            <PasskeyFailureText intl={intl} failure={failure} />
          </Suspense>
        ) : null}
      </div>
    </div>
  );
}
