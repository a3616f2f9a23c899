"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmItsYou } from "@/components/auth/passkey-reauth-step";
import { StepUpPanel } from "@/components/auth/step-up-panel";
import { useReauth } from "@/components/auth/use-reauth";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { StepUpDemand } from "@/lib/auth/core/form-state";
import { ACTION_UNREACHABLE, type ActionFailure } from "@/lib/auth/core/action-result";
import { useFactorChanged } from "./factor-changes";
import { beginTotpEnrollmentAction, finishTotpEnrollmentAction, type TotpEnrollmentView } from "./totp-actions";
import { TotpEnrollmentStep } from "./totp-enrollment-step";
import { proofFor, useTotpErrorText } from "./totp-refusal";

/**
 * "Add an authenticator app": asks the server for a new secret (after the
 * proof the policy wants, when it wants one), shows it as a QR code and a
 * key to type, and confirms it with the first code the app shows.
 */
export function AddTotp({ ttlMinutes }: { ttlMinutes: number }) {
  const t = useTranslations("totp");
  const locale = useLocale();
  const errorText = useTotpErrorText();
  const factorChanged = useFactorChanged();
  const reauth = useReauth();
  // An account whose strongest factor is an app confirms with it (a step-up), then the action runs again.
  const [appStepUp, setAppStepUp] = useState<{ demand: StepUpDemand; retry: () => void } | null>(null);
  const [enrollment, setEnrollment] = useState<TotpEnrollmentView | null>(null);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<{ text: string; isCodeError: boolean } | null>(null);
  const [added, setAdded] = useState(false);

  /** A refusal: ask for the proof it names and run `retry` after it, or say what went wrong. */
  function refused(result: ActionFailure, retry: () => void): void {
    const proof = proofFor(result);
    if (proof === "email" || proof === "passkey") reauth.require(retry, proof);
    else if (proof === "totp" && result.stepUp) setAppStepUp({ demand: result.stepUp, retry });
    else setError(errorText(result));
  }

  async function begin(): Promise<void> {
    setError(null);
    setAdded(false);
    setWorking(true);
    const result = await beginTotpEnrollmentAction(locale).catch(() => ACTION_UNREACHABLE);
    setWorking(false);
    if (result.ok) setEnrollment(result.data);
    else refused(result, () => void begin());
  }

  async function finish(code: string): Promise<void> {
    if (!enrollment) return;
    setError(null);
    setWorking(true);
    const result = await finishTotpEnrollmentAction(locale, { enrollmentId: enrollment.enrollmentId, code }).catch(() => ACTION_UNREACHABLE);
    setWorking(false);
    if (result.ok) {
      setEnrollment(null);
      setAdded(true);
      // The list is rendered by the server (the action refreshed it); the notice offers to sign out elsewhere.
      factorChanged();
    } else {
      refused(result, () => void finish(code));
    }
  }

  function cancel(): void {
    setError(null);
    reauth.cancel();
    setAppStepUp(null);
    setEnrollment(null);
  }

  const formError = error && !error.isCodeError ? error.text : null;
  return (
    <div className="space-y-4">
      <div aria-live="polite" className="space-y-2">
        {formError ? <FormMessage tone="error">{formError}</FormMessage> : null}
        {added ? <FormMessage tone="success">{t("added")}</FormMessage> : null}
      </div>
      {reauth.required ? (
        <ConfirmItsYou proof={reauth.proof} onConfirmed={reauth.confirmed} onCancel={cancel} />
      ) : appStepUp ? (
        <StepUpPanel
          demand={appStepUp.demand}
          onConfirmed={() => {
            setAppStepUp(null);
            appStepUp.retry();
          }}
          onCancel={cancel}
        />
      ) : enrollment ? (
        <TotpEnrollmentStep
          enrollment={enrollment}
          ttlMinutes={ttlMinutes}
          working={working}
          codeError={error?.isCodeError ? error.text : undefined}
          onSubmit={(code) => void finish(code)}
          onCancel={cancel}
        />
      ) : (
        <Button type="button" onClick={() => void begin()} disabled={working}>
          {working ? t("starting") : t("add")}
        </Button>
      )}
    </div>
  );
}
