"use client";

import { NextIntlClientProvider } from "next-intl";
import type { ReactNode } from "react";
import { FormMessage } from "@/components/ui/form-message";
import type { ActionResult } from "@/lib/auth/core/action-result";
import type { FormState } from "@/lib/auth/core/form-state";
import type { ClientIntl } from "@/lib/i18n/client-messages";
import { useErrorText } from "./error-text";
import { LockoutHelp } from "./lockout-help";
import { usePasskeyErrorText } from "./passkey-errors";
import type { BrowserProblem } from "./passkey-problem";

/**
 * The sign-in page's sentences that depend on what just happened: a refused
 * link request, a field's error, a failed passkey. The page's first load
 * has strings its server translated and no translation runtime; this module
 * (next-intl and its ICU formatter) is imported the first time one of these
 * has to be shown, or when the person submits (sign-in-form.tsx), each
 * component bringing its own provider with the messages it was given.
 */

export type PasskeyFailure =
  | { kind: "browser"; problem: BrowserProblem }
  | { kind: "server"; result: Extract<ActionResult<unknown>, { ok: false }> };

function Translated({ intl, children }: { intl: ClientIntl; children: ReactNode }) {
  return (
    <NextIntlClientProvider locale={intl.locale} timeZone={intl.timeZone} messages={intl.messages}>
      {children}
    </NextIntlClientProvider>
  );
}

/** The request form's error above its fields, and what still works when sign-in by email is held back. */
export function RequestFeedback({ intl, state }: { intl: ClientIntl; state: FormState }) {
  return (
    <Translated intl={intl}>
      <RequestFeedbackText state={state} />
    </Translated>
  );
}

function RequestFeedbackText({ state }: { state: FormState }) {
  const formError = useErrorText().formError(state);
  return (
    <>
      {formError ? <FormMessage tone="error">{formError}</FormMessage> : null}
      <LockoutHelp state={state} passkeyOnPage />
    </>
  );
}

/** One field's error, as text inside the field's own described-by element. */
export function FieldErrorText({ intl, state, field }: { intl: ClientIntl; state: FormState; field: string }) {
  return (
    <Translated intl={intl}>
      <FieldErrorSentence state={state} field={field} />
    </Translated>
  );
}

function FieldErrorSentence({ state, field }: { state: FormState; field: string }) {
  return useErrorText().fieldError(state, field) ?? null;
}

/** Why a passkey sign-in did not work, in the reader's language; never a stack or a raw message. */
export function PasskeyFailureText({ intl, failure }: { intl: ClientIntl; failure: PasskeyFailure }) {
  return (
    <Translated intl={intl}>
      <PasskeyFailureMessage failure={failure} />
    </Translated>
  );
}

function PasskeyFailureMessage({ failure }: { failure: PasskeyFailure }) {
  const text = usePasskeyErrorText();
  return <FormMessage tone="error">{failure.kind === "browser" ? text.browser(failure.problem) : text.server(failure.result)}</FormMessage>;
}
