"use client";

import { Suspense, lazy, useActionState, useEffect } from "react";
import { PasskeyButton, type PasskeyButtonText } from "@/components/auth/passkey-button";
import { Button } from "@/components/ui/button";
import { Divider } from "@/components/ui/divider";
import { Field } from "@/components/ui/field";
import type { ClientIntl } from "@/lib/i18n/client-messages";
import { requestLinkAction, type SignInState } from "../actions";

const initial: SignInState = { status: "idle", step: "request" };

/** The form's words, translated by the page on the server. */
export interface SignInText {
  intro: string;
  emailLabel: string;
  emailHint: string;
  submit: string;
  submitting: string;
  or: string;
  passkey: PasskeyButtonText;
}

/*
 * The first load holds only what everyone sees (the server's strings, the
 * form, the passkey button). What follows a submit (the code step, an
 * error's sentence, which need the translation runtime) is imported when
 * the person submits, and shown once it is there (docs/performance.md).
 */
const loadCodeStep = () => import("./code-step");
const loadFeedback = () => import("@/components/auth/sign-in-feedback");
const CodeStep = lazy(() => loadCodeStep().then((module) => ({ default: module.CodeStep })));
const RequestFeedback = lazy(() => loadFeedback().then((module) => ({ default: module.RequestFeedback })));
const FieldErrorText = lazy(() => loadFeedback().then((module) => ({ default: module.FieldErrorText })));

export function SignInForm({
  locale,
  callbackUrl,
  defaultEmail,
  passkeyFirst,
  text,
  intl,
}: {
  locale: string;
  callbackUrl: string;
  defaultEmail: string;
  /** This browser registered or used a passkey before: offer it above the email form. */
  passkeyFirst: boolean;
  text: SignInText;
  /** The messages of what is loaded on demand. */
  intl: ClientIntl;
}) {
  const [state, requestLink, requesting] = useActionState(requestLinkAction, initial);

  useEffect(() => {
    if (!requesting) return;
    // While the server answers, fetch whichever step comes next.
    void loadCodeStep().catch(() => undefined);
    void loadFeedback().catch(() => undefined);
  }, [requesting]);

  if (state.step === "code" && state.challengeId) {
    return (
      <Suspense fallback={null}>
        <CodeStep intl={intl} state={state} requestLink={requestLink} requesting={requesting} />
      </Suspense>
    );
  }
  // While a link is being requested the autofill offer is withdrawn (and
  // its pending browser request aborted); after a refused request it returns.
  const passkey = (
    <PasskeyButton
      locale={locale}
      callbackUrl={callbackUrl}
      autofill={!requesting}
      prominent={passkeyFirst}
      text={text.passkey}
      intl={intl}
    />
  );
  // The email's own problems (the only field here) come back per field; anything else is shown above the form.
  const emailError = state.status === "error" && state.fieldErrors?.email !== undefined;
  return (
    <div className="space-y-4">
      {passkeyFirst ? passkey : null}
      {passkeyFirst ? <Divider label={text.or} /> : null}
      <form action={requestLink} className="space-y-4" noValidate>
        <p className="text-gray-700">{text.intro}</p>
        {state.status === "error" ? (
          <Suspense fallback={null}>
            <RequestFeedback intl={intl} state={state} />
          </Suspense>
        ) : null}
        <input type="hidden" name="locale" value={locale} />
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <Field
          id="email"
          name="email"
          type="email"
          label={text.emailLabel}
          hint={text.emailHint}
          error={
            emailError ? (
              <Suspense fallback={null}>
                <FieldErrorText intl={intl} state={state} field="email" />
              </Suspense>
            ) : undefined
          }
          defaultValue={state.displayEmail ?? defaultEmail}
          // "webauthn" lets the browser offer this site's passkeys in the field's autofill.
          autoComplete="username webauthn"
          required
          dir="ltr"
          autoFocus
        />
        <Button type="submit" variant={passkeyFirst ? "secondary" : "primary"} disabled={requesting}>
          {requesting ? text.submitting : text.submit}
        </Button>
      </form>
      {passkeyFirst ? null : <Divider label={text.or} />}
      {passkeyFirst ? null : passkey}
    </div>
  );
}
