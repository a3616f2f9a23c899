"use client";

import { useLocale, useTranslations } from "next-intl";
import type { SecondFactorStep } from "@/app/[locale]/(auth)/second-factor";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { FormState } from "@/lib/auth/core/form-state";
import { useErrorText, type FieldOfError } from "./error-text";
import { OtpInput } from "./otp-input";

/**
 * An escalated sign-in's second step (lib/auth/step-up/sign-in-policy.ts),
 * inside the form that redeems the link or the email's code: why the email
 * alone is not enough, the authenticator app's code, and a passkey sign-in
 * instead when the account has one. The form sends the same link or code
 * again, now with `totpCode`: nothing was used up by the first try.
 */
export function SecondFactorFields({ step, error, pending }: { step: SecondFactorStep; error?: string; pending: boolean }) {
  const t = useTranslations("signInSecondFactor");
  const locale = useLocale();
  return (
    <div className="space-y-4">
      <FormMessage tone="info">
        <span className="block font-semibold">{t("title")}</span>
        <span className="mt-1 block">{t("why")}</span>
      </FormMessage>
      {step.emailCode ? <input type="hidden" name="code" value={step.emailCode} /> : null}
      {/* The code is the one thing left to do: the field takes the focus. */}
      <OtpInput name="totpCode" label={t("codeLabel")} hint={t("codeHint")} error={error} autoFocus />
      <Button type="submit" disabled={pending}>
        {pending ? t("submitting") : t("submit")}
      </Button>
      {step.methods.includes("passkey") ? (
        <p>
          {/* A full page load: the sign-in page offers the passkey from a fresh state. */}
          <a href={`/${locale}/sign-in`} className="text-blue-700 underline">
            {t("usePasskey")}
          </a>
        </p>
      ) : null}
    </div>
  );
}

/** A wrong app code belongs beside its field; the request for one is the step itself, not an error. */
const SECOND_FACTOR_FIELD: FieldOfError = { SECOND_FACTOR_INVALID: "totpCode" };

/** useErrorText for the forms that redeem a sign-in, which may show the second step. */
export function useSignInErrorText() {
  const errors = useErrorText(SECOND_FACTOR_FIELD);
  return {
    formError: (state: FormState) => (state.error === "SECOND_FACTOR_REQUIRED" ? undefined : errors.formError(state)),
    fieldError: errors.fieldError,
  };
}
