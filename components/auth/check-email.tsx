"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState } from "react";
import { verifyCodeAction, type SignInState } from "@/app/[locale]/(auth)/actions";
import { MAGIC_LINK_TTL_MINUTES } from "@/lib/auth/core/email-challenge-lifetime";
import { useErrorText } from "@/components/auth/error-text";
import { LockoutHelp } from "@/components/auth/lockout-help";
import { OtpInput } from "@/components/auth/otp-input";
import { SecondFactorFields, useSignInErrorText } from "@/components/auth/second-factor-fields";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { isolate } from "@/lib/i18n/isolate";

/**
 * "Check your email": what was sent (honestly, if the send failed), the
 * code field for signing in on this device, and a resend that voids this
 * browser's previous link without resetting its wrong-code count.
 */
export function CheckEmail({
  state,
  requestLink,
  requesting,
}: {
  state: SignInState;
  requestLink: (form: FormData) => void;
  requesting: boolean;
}) {
  const t = useTranslations("checkEmail");
  const locale = useLocale();
  const errors = useErrorText();
  const verifyErrors = useSignInErrorText();
  const [verifyState, verify, verifying] = useActionState(verifyCodeAction, state);
  const verified = verifyState !== state;
  const resendError = errors.formError(state);
  const verifyError = verified ? verifyErrors.formError(verifyState) : undefined;
  const secondFactor = verified ? verifyState.secondFactor : undefined;
  return (
    <div className="space-y-5">
      <h2 className="text-xl font-semibold">{t("title")}</h2>
      {state.delivery === "delayed" || state.delivery === "failed" ? (
        <FormMessage tone="error">{t(state.delivery)}</FormMessage>
      ) : state.resent ? (
        <FormMessage tone="success">{t("resent")}</FormMessage>
      ) : (
        <FormMessage tone="info">{t("sentTo", { email: isolate(state.displayEmail ?? "") })}</FormMessage>
      )}
      {resendError ? <FormMessage tone="error">{resendError}</FormMessage> : null}
      <LockoutHelp state={state} />
      <p className="text-gray-700">{t("openLink")}</p>
      <p className="text-sm text-gray-600">{t("expiresIn", { minutes: MAGIC_LINK_TTL_MINUTES })}</p>

      <form action={verify} className="space-y-4" noValidate>
        {verifyError ? <FormMessage tone="error">{verifyError}</FormMessage> : null}
        {verified ? <LockoutHelp state={verifyState} /> : null}
        <input type="hidden" name="locale" value={locale} />
        <input type="hidden" name="challengeId" value={state.challengeId} />
        {secondFactor ? (
          <SecondFactorFields step={secondFactor} error={verifyErrors.fieldError(verifyState, "totpCode")} pending={verifying} />
        ) : (
          <>
            <OtpInput label={t("codeLabel")} hint={t("codeHint")} error={verified ? errors.fieldError(verifyState, "code") : undefined} />
            <Button type="submit" disabled={verifying}>
              {verifying ? t("verifying") : t("verify")}
            </Button>
          </>
        )}
      </form>

      <form action={requestLink}>
        <input type="hidden" name="locale" value={locale} />
        {state.resendWith?.email !== undefined ? <input type="hidden" name="email" value={state.resendWith.email} /> : null}
        {state.resendWith?.token !== undefined ? <input type="hidden" name="token" value={state.resendWith.token} /> : null}
        <Button type="submit" variant="secondary" disabled={requesting}>
          {t("resend")}
        </Button>
      </form>
      <p>
        {/* A full page load, so the form starts over from an empty state. */}
        <a href={`/${locale}/sign-in`} className="text-blue-700 underline">
          {t("useAnotherEmail")}
        </a>
      </p>
    </div>
  );
}
