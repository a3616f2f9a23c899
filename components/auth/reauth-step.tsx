"use client";

import { MAGIC_LINK_TTL_MINUTES } from "@/lib/auth/core/email-challenge-lifetime";
import type { DeliveryStatus } from "@/lib/delivery/outbox";
import { useLocale, useTranslations } from "next-intl";
import { useActionState, useEffect, useRef } from "react";
import { requestReauthCodeAction, verifyReauthCodeAction } from "@/app/[locale]/(app)/passkey-actions";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { formStateOf } from "@/lib/auth/core/action-result";
import type { FormState } from "@/lib/auth/core/form-state";
import { useErrorText } from "./error-text";
import { OtpInput } from "./otp-input";

interface ReauthState extends FormState {
  challengeId?: string;
  delivery?: DeliveryStatus;
}

const initial: ReauthState = { status: "idle" };

/**
 * "Confirm it's you" before an account with no strong factor adds its
 * first, when its sign-in is older than the policy's window (ASVS 7.5.1;
 * components/auth/use-step-up.tsx opens it): a 6-digit code to the
 * account's email, typed here. The code refreshes the session's last-proof
 * time; it never raises its level, and is never a step-up. Calls
 * `onConfirmed` after a correct code, so the interrupted action can carry on.
 */
export function ReauthStep({ onConfirmed, onCancel }: { onConfirmed: () => void; onCancel: () => void }) {
  const t = useTranslations("reauth");
  const locale = useLocale();
  const errors = useErrorText();
  const heading = useRef<HTMLHeadingElement>(null);

  const [sent, requestCode, requesting] = useActionState(async (previous: ReauthState): Promise<ReauthState> => {
    const result = await requestReauthCodeAction(locale);
    if (!result.ok) return { ...previous, ...formStateOf(result) };
    return { status: "done", challengeId: result.data.challengeId, delivery: result.data.delivery };
  }, initial);

  const [verified, verifyCode, verifying] = useActionState(async (_previous: FormState, form: FormData) => {
    const result = await verifyReauthCodeAction(locale, {
      challengeId: sent.challengeId ?? "",
      code: String(form.get("code") ?? ""),
    });
    if (!result.ok) return formStateOf(result);
    onConfirmed();
    return { status: "done" } satisfies FormState;
  }, initial);

  // Keyboard and screen-reader users land on the new step, not behind it.
  useEffect(() => heading.current?.focus(), []);

  const codeSent = sent.status === "done" && sent.challengeId;
  const requestError = errors.formError(sent);
  const verifyError = errors.formError(verified);
  return (
    <section aria-labelledby="reauth-heading" className="space-y-4 rounded-md border border-blue-200 bg-blue-50/40 p-4">
      <h2 id="reauth-heading" ref={heading} tabIndex={-1} className="text-lg font-semibold">
        {t("title")}
      </h2>
      <div aria-live="polite" className="space-y-2">
        {codeSent ? (
          <FormMessage tone={(sent.delivery ?? "sent") === "sent" ? "info" : "error"}>
            {t(sent.delivery ?? "sent", { minutes: MAGIC_LINK_TTL_MINUTES })}
          </FormMessage>
        ) : null}
        {requestError ? <FormMessage tone="error">{requestError}</FormMessage> : null}
      </div>
      {codeSent ? (
        <form action={verifyCode} className="space-y-4" noValidate>
          {verifyError ? <FormMessage tone="error">{verifyError}</FormMessage> : null}
          <OtpInput label={t("codeLabel")} hint={t("codeHint")} error={errors.fieldError(verified, "code")} autoFocus />
          <Button type="submit" disabled={verifying}>
            {verifying ? t("verifying") : t("verify")}
          </Button>
        </form>
      ) : (
        <p className="text-gray-700">{t("intro")}</p>
      )}
      <form action={requestCode}>
        <Button type="submit" variant={codeSent ? "secondary" : "primary"} disabled={requesting}>
          {requesting ? t("sending") : codeSent ? t("resend") : t("send")}
        </Button>
      </form>
      <Button type="button" variant="link" onClick={onCancel}>
        {t("cancel")}
      </Button>
    </section>
  );
}
