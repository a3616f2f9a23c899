"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState } from "react";
import { CheckEmail } from "@/components/auth/check-email";
import { useErrorText } from "@/components/auth/error-text";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { requestLinkAction, type SignInState } from "../actions";

const initial: SignInState = { status: "idle", step: "request" };

export function SignInForm({ callbackUrl, defaultEmail }: { callbackUrl: string; defaultEmail: string }) {
  const t = useTranslations("signIn");
  const locale = useLocale();
  const errors = useErrorText();
  const [state, requestLink, requesting] = useActionState(requestLinkAction, initial);

  if (state.step === "code" && state.challengeId) {
    return <CheckEmail state={state} requestLink={requestLink} requesting={requesting} />;
  }
  const formError = errors.formError(state);
  return (
    <form action={requestLink} className="space-y-4" noValidate>
      <p className="text-gray-700">{t("intro")}</p>
      {formError ? <FormMessage tone="error">{formError}</FormMessage> : null}
      <input type="hidden" name="locale" value={locale} />
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field
        id="email"
        name="email"
        type="email"
        label={t("emailLabel")}
        hint={t("emailHint")}
        error={errors.fieldError(state, "email")}
        defaultValue={state.displayEmail ?? defaultEmail}
        autoComplete="email"
        required
        dir="ltr"
        autoFocus
      />
      <Button type="submit" disabled={requesting}>
        {requesting ? t("submitting") : t("submit")}
      </Button>
    </form>
  );
}
