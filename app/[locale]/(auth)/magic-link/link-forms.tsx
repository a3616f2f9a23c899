"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState } from "react";
import { CheckEmail } from "@/components/auth/check-email";
import { useErrorText } from "@/components/auth/error-text";
import { LockoutHelp } from "@/components/auth/lockout-help";
import { OtpInput } from "@/components/auth/otp-input";
import { SecondFactorFields, useSignInErrorText } from "@/components/auth/second-factor-fields";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { redeemLinkAction, requestLinkAction, type SignInState } from "../actions";

/** Same browser that asked: one button, and only its POST signs in. */
export function ContinueForm({ token, label }: { token: string; label: string }) {
  const locale = useLocale();
  const errors = useSignInErrorText();
  const [state, redeem, pending] = useActionState(redeemLinkAction, { status: "idle", token });
  const error = errors.formError(state);
  return (
    <form action={redeem} className="space-y-4" noValidate>
      {error ? <FormMessage tone="error">{error}</FormMessage> : null}
      <input type="hidden" name="locale" value={locale} />
      {state.secondFactor ? (
        <SecondFactorFields step={state.secondFactor} error={errors.fieldError(state, "totpCode")} pending={pending} />
      ) : (
        <Button type="submit" disabled={pending}>
          {label}
        </Button>
      )}
    </form>
  );
}

/** Another browser: the binding cookie is not here, so the email's code must be. */
export function CodeForm({ token }: { token: string }) {
  const t = useTranslations("checkEmail");
  const locale = useLocale();
  const errors = useSignInErrorText();
  const [state, redeem, pending] = useActionState(redeemLinkAction, { status: "idle", token });
  const error = errors.formError(state);
  return (
    <form action={redeem} className="space-y-4" noValidate>
      {error ? <FormMessage tone="error">{error}</FormMessage> : null}
      <LockoutHelp state={state} />
      <input type="hidden" name="locale" value={locale} />
      {state.secondFactor ? (
        <SecondFactorFields step={state.secondFactor} error={errors.fieldError(state, "totpCode")} pending={pending} />
      ) : (
        <>
          <OtpInput label={t("codeLabel")} hint={t("codeHint")} error={errors.fieldError(state, "code")} />
          <Button type="submit" disabled={pending}>
            {pending ? t("verifying") : t("verify")}
          </Button>
        </>
      )}
    </form>
  );
}

const initialRequest: SignInState = { status: "idle", step: "request" };

/** One click: a new link to the same address, bound to this browser. */
export function FreshLinkForm({ token, label }: { token: string; label: string }) {
  const locale = useLocale();
  const errors = useErrorText();
  const [state, request, pending] = useActionState(requestLinkAction, initialRequest);
  if (state.step === "code" && state.challengeId) {
    return <CheckEmail state={state} requestLink={request} requesting={pending} />;
  }
  const error = errors.formError(state);
  return (
    <form action={request} className="space-y-4">
      {error ? <FormMessage tone="error">{error}</FormMessage> : null}
      <LockoutHelp state={state} />
      <input type="hidden" name="locale" value={locale} />
      <input type="hidden" name="token" value={token} />
      <Button type="submit" variant="secondary" disabled={pending}>
        {label}
      </Button>
    </form>
  );
}
