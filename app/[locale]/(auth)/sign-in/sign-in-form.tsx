"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState } from "react";
import { CheckEmail } from "@/components/auth/check-email";
import { useErrorText } from "@/components/auth/error-text";
import { LockoutHelp } from "@/components/auth/lockout-help";
import { PasskeyButton } from "@/components/auth/passkey-button";
import { Button } from "@/components/ui/button";
import { Divider } from "@/components/ui/divider";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { requestLinkAction, type SignInState } from "../actions";

const initial: SignInState = { status: "idle", step: "request" };

export function SignInForm({
  callbackUrl,
  defaultEmail,
  passkeyFirst,
}: {
  callbackUrl: string;
  defaultEmail: string;
  /** This browser registered or used a passkey before: offer it above the email form. */
  passkeyFirst: boolean;
}) {
  const t = useTranslations("signIn");
  const tPasskey = useTranslations("passkeySignIn");
  const locale = useLocale();
  const errors = useErrorText();
  const [state, requestLink, requesting] = useActionState(requestLinkAction, initial);

  if (state.step === "code" && state.challengeId) {
    return <CheckEmail state={state} requestLink={requestLink} requesting={requesting} />;
  }
  // While a link is being requested the autofill offer is withdrawn (and
  // its pending browser request aborted); after a refused request it returns.
  const passkey = <PasskeyButton callbackUrl={callbackUrl} autofill={!requesting} prominent={passkeyFirst} />;
  const formError = errors.formError(state);
  return (
    <div className="space-y-4">
      {passkeyFirst ? passkey : null}
      {passkeyFirst ? <Divider label={tPasskey("or")} /> : null}
      <form action={requestLink} className="space-y-4" noValidate>
        <p className="text-gray-700">{t("intro")}</p>
        {formError ? <FormMessage tone="error">{formError}</FormMessage> : null}
        <LockoutHelp state={state} passkeyOnPage />
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
          // "webauthn" lets the browser offer this site's passkeys in the field's autofill.
          autoComplete="username webauthn"
          required
          dir="ltr"
          autoFocus
        />
        <Button type="submit" variant={passkeyFirst ? "secondary" : "primary"} disabled={requesting}>
          {requesting ? t("submitting") : t("submit")}
        </Button>
      </form>
      {passkeyFirst ? null : <Divider label={tPasskey("or")} />}
      {passkeyFirst ? null : passkey}
    </div>
  );
}
