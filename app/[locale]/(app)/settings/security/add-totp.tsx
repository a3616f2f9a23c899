"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { proofAskedBy, useStepUp } from "@/components/auth/use-step-up";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ACTION_UNREACHABLE, type ActionFailure } from "@/lib/auth/core/action-result";
import { useFactorChanged } from "./factor-changes";
import { beginTotpEnrollmentAction, finishTotpEnrollmentAction, type TotpEnrollmentView } from "./totp-actions";
import { TotpEnrollmentStep } from "./totp-enrollment-step";
import { useTotpErrorText } from "./totp-error-text";

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
  // Both steps are `security.factor.add`: a proof the policy asks for first opens in place, then the step runs again.
  const { withStepUp, dialog, asking } = useStepUp();
  const [enrollment, setEnrollment] = useState<TotpEnrollmentView | null>(null);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<{ text: string; isCodeError: boolean } | null>(null);
  const [added, setAdded] = useState(false);

  /** A refusal, said in words; nothing to say when the person turned down the proof it asked for. */
  function refused(result: ActionFailure): void {
    if (proofAskedBy(result)) cancel();
    else setError(errorText(result));
  }

  async function begin(): Promise<void> {
    setError(null);
    setAdded(false);
    setWorking(true);
    const result = await withStepUp(() => beginTotpEnrollmentAction(locale)).catch(() => ACTION_UNREACHABLE);
    setWorking(false);
    if (result.ok) setEnrollment(result.data);
    else refused(result);
  }

  async function finish(code: string): Promise<void> {
    if (!enrollment) return;
    setError(null);
    setWorking(true);
    const { enrollmentId } = enrollment;
    const result = await withStepUp(() => finishTotpEnrollmentAction(locale, { enrollmentId, code })).catch(() => ACTION_UNREACHABLE);
    setWorking(false);
    if (result.ok) {
      setEnrollment(null);
      setAdded(true);
      // The list is rendered by the server (the action refreshed it); the notice offers to sign out elsewhere.
      factorChanged();
    } else {
      refused(result);
    }
  }

  function cancel(): void {
    setError(null);
    setEnrollment(null);
  }

  const formError = error && !error.isCodeError ? error.text : null;
  return (
    <div className="space-y-4">
      <div aria-live="polite" className="space-y-2">
        {formError ? <FormMessage tone="error">{formError}</FormMessage> : null}
        {added ? <FormMessage tone="success">{t("added")}</FormMessage> : null}
      </div>
      {asking ? (
        dialog
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
