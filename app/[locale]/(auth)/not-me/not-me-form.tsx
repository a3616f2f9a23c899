"use client";

import { useLocale } from "next-intl";
import { useActionState } from "react";
import { useErrorText } from "@/components/auth/error-text";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { disownSessionAction, type NotMeState } from "./actions";

const initial: NotMeState = { status: "idle" };

/** The page's sentences, translated on the server (this page is the only one that needs them). */
export type NotMeText = Record<
  "confirm" | "working" | "ended" | "alreadyEnded" | "invalid" | "expired" | "nextTitle" | "nextEmail" | "nextReview" | "signIn",
  string
>;

/** The one button that ends the reported session; a plain form, so it works without JavaScript. */
export function NotMeForm({ token, signInHref, text }: { token: string; signInHref: string; text: NotMeText }) {
  const locale = useLocale();
  const errors = useErrorText();
  const [state, confirm, working] = useActionState(disownSessionAction, initial);

  if (state.status === "done") {
    return (
      <div className="space-y-4">
        <FormMessage tone="success">{state.ended ? text.ended : text.alreadyEnded}</FormMessage>
        <NextSteps signInHref={signInHref} text={text} />
      </div>
    );
  }
  const linkProblem = state.error === "TOKEN_INVALID" ? text.invalid : state.error === "TOKEN_EXPIRED" ? text.expired : null;
  return (
    <form action={confirm} className="space-y-4">
      {linkProblem ? <FormMessage tone="error">{linkProblem}</FormMessage> : null}
      {!linkProblem && errors.formError(state) ? <FormMessage tone="error">{errors.formError(state)}</FormMessage> : null}
      <input type="hidden" name="locale" value={locale} />
      <input type="hidden" name="token" value={token} />
      <Button type="submit" disabled={working || linkProblem !== null}>
        {working ? text.working : text.confirm}
      </Button>
      {linkProblem ? <NextSteps signInHref={signInHref} text={text} /> : null}
    </form>
  );
}

function NextSteps({ signInHref, text }: { signInHref: string; text: NotMeText }) {
  return (
    <div className="space-y-2 text-gray-700">
      <p>{text.nextTitle}</p>
      <ul className="list-disc space-y-1 ps-5">
        <li>{text.nextEmail}</li>
        <li>{text.nextReview}</li>
      </ul>
      <a href={signInHref} className="inline-block text-blue-700 underline">
        {text.signIn}
      </a>
    </div>
  );
}
