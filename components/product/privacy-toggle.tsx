"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState, useSyncExternalStore } from "react";
import { setFilePrivateAction, type FilePrivacyState } from "@/app/[locale]/(app)/files/actions";
import { useErrorText } from "@/components/auth/error-text";
import { PolicyDenial } from "@/components/auth/policy-denial";
import { useStepUp } from "@/components/auth/use-step-up";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { isolate } from "@/lib/i18n/isolate";

const initial: FilePrivacyState = { status: "idle" };

const noSubscription = () => () => {};

/**
 * False in the server's HTML, true once this component runs in the browser.
 * The form's action is a client function (it wraps the server action in the
 * step-up retry), so a press before the page's script has loaded would be
 * lost: the button waits, disabled, until then.
 */
function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}

/**
 * One file's "Make private" / "Make not private" button. Making a file
 * private needs nothing more than owning it; making it not private again
 * needs the proof its readers would need (`file.view_private`), so that
 * press may open the step-up dialog, and once confirmed it is sent again.
 */
export function PrivacyToggle({ fileId, fileName, isPrivate }: { fileId: string; fileName: string; isPrivate: boolean }) {
  const t = useTranslations("files.privacy");
  const locale = useLocale();
  const errors = useErrorText();
  const { withStepUp, dialog } = useStepUp();
  const [state, change, changing] = useActionState(
    (previous: FilePrivacyState, form: FormData) => withStepUp(() => setFilePrivateAction(previous, form)),
    initial,
  );
  const hydrated = useHydrated();
  const denied = state.status === "error" && state.error === "ACTION_DENIED";
  const formError = denied || state.stepUp ? undefined : errors.formError(state);

  return (
    <form action={change} className="space-y-2">
      {state.status === "done" ? <FormMessage tone="success">{state.private ? t("donePrivate") : t("doneNotPrivate")}</FormMessage> : null}
      {denied ? <PolicyDenial reasons={state.deniedReasons ?? []} /> : null}
      {state.stepUp ? <FormMessage tone="error">{t("notConfirmed")}</FormMessage> : null}
      {formError ? <FormMessage tone="error">{formError}</FormMessage> : null}
      {dialog}
      <input type="hidden" name="locale" value={locale} />
      <input type="hidden" name="fileId" value={fileId} />
      <input type="hidden" name="private" value={isPrivate ? "false" : "true"} />
      <Button type="submit" variant="secondary" disabled={changing || !hydrated} className="sm:w-auto">
        {changing ? t("saving") : isPrivate ? t("makeNotPrivate") : t("makePrivate")}
        {/* Every file has this button: the hidden part says which file it changes. */}
        {changing ? null : <span className="sr-only"> {isolate(fileName)}</span>}
      </Button>
    </form>
  );
}
