"use client";

import { NextIntlClientProvider } from "next-intl";
import { CheckEmail } from "@/components/auth/check-email";
import type { ClientIntl } from "@/lib/i18n/client-messages";
import type { SignInState } from "../actions";

/**
 * The code step, with the translations it needs: sign-in-form.tsx imports
 * this on demand (from the moment a link is requested), so the page's first
 * load carries neither the step nor the translation runtime.
 */
export function CodeStep({
  intl,
  state,
  requestLink,
  requesting,
}: {
  intl: ClientIntl;
  state: SignInState;
  requestLink: (form: FormData) => void;
  requesting: boolean;
}) {
  return (
    <NextIntlClientProvider locale={intl.locale} timeZone={intl.timeZone} messages={intl.messages}>
      <CheckEmail state={state} requestLink={requestLink} requesting={requesting} />
    </NextIntlClientProvider>
  );
}
