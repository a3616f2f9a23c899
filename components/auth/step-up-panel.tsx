"use client";

import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { beginStepUpAction, verifyStepUpAction } from "@/app/[locale]/(app)/step-up-actions";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ACTION_UNREACHABLE, type ActionResult } from "@/lib/auth/core/action-result";
import type { StepUpDemand } from "@/lib/auth/core/form-state";
import { signStepUpOnThisDevice } from "./device-key";
import { OtpInput } from "./otp-input";
import { browserProblemOf, usePasskeyErrorText } from "./passkey-errors";
import { stepUpWhyKey } from "./step-up-text";

type Failed = Extract<ActionResult<unknown>, { ok: false }>;

/**
 * "Confirm it's you" for one action: says in plain words why, then offers
 * the methods the policy accepts, in its order (a passkey first, then an
 * authenticator app or this trusted device). Email is never offered: it does not satisfy a
 * step-up. Calls `onConfirmed` once the server stored the grant, so the
 * interrupted action can carry on.
 */
export function StepUpPanel({
  demand,
  onConfirmed,
  onCancel,
  heading: headingText,
}: {
  demand: StepUpDemand;
  onConfirmed: () => void;
  onCancel?: () => void;
  /** Default "Confirm it's you"; a page that already says so in its h1 names the step instead. */
  heading?: string;
}) {
  const t = useTranslations("stepUp");
  const locale = useLocale();
  const errorText = usePasskeyErrorText();
  const heading = useRef<HTMLHeadingElement>(null);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Keyboard and screen-reader users land on the step, not behind it.
  useEffect(() => heading.current?.focus(), []);

  async function run(step: () => Promise<ActionResult<unknown> | "cancelled">) {
    setError(null);
    setWorking(true);
    const outcome = await step().catch((): Failed => ACTION_UNREACHABLE);
    setWorking(false);
    if (outcome === "cancelled") return;
    if (outcome.ok) onConfirmed();
    else setError(errorText.server(outcome));
  }

  function confirmWithPasskey() {
    if (!browserSupportsWebAuthn()) {
      setError(errorText.browser("unsupported"));
      return;
    }
    void run(async () => {
      const begun = await beginStepUpAction(locale, { action: demand.action, method: "passkey" });
      if (!begun.ok || !begun.data.options) return begun;
      let response;
      try {
        response = await startAuthentication({ optionsJSON: begun.data.options });
      } catch (thrown) {
        const problem = browserProblemOf(thrown);
        if (problem) setError(errorText.browser(problem));
        return "cancelled";
      }
      return verifyStepUpAction(locale, { challengeId: begun.data.challengeId, response });
    });
  }

  function confirmOnThisDevice() {
    void run(async () => {
      const begun = await beginStepUpAction(locale, { action: demand.action, method: "device" });
      if (!begun.ok || !begun.data.challenge) return begun;
      const signature = await signStepUpOnThisDevice(locale, begun.data.challenge);
      if (!signature) {
        setError(t("deviceKeyMissing"));
        return "cancelled";
      }
      return verifyStepUpAction(locale, { challengeId: begun.data.challengeId, signature });
    });
  }

  function confirmWithApp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get("code") ?? "");
    void run(async () => {
      const begun = await beginStepUpAction(locale, { action: demand.action, method: "totp" });
      if (!begun.ok) return begun;
      return verifyStepUpAction(locale, { challengeId: begun.data.challengeId, code });
    });
  }

  return (
    <section aria-labelledby="step-up-heading" className="space-y-4 rounded-md border border-blue-200 bg-blue-50/40 p-4">
      <h2 id="step-up-heading" ref={heading} tabIndex={-1} className="text-lg font-semibold">
        {headingText ?? t("title")}
      </h2>
      <p className="text-gray-700">{t(`why.${stepUpWhyKey(demand.action)}`)}</p>
      {demand.reasons.includes("untrusted_device") ? <p className="text-gray-700">{t("untrustedDevice")}</p> : null}
      <div aria-live="polite">{error ? <FormMessage tone="error">{error}</FormMessage> : null}</div>
      {demand.methods.map((method, index) =>
        method === "passkey" ? (
          <Button key={method} type="button" variant={index === 0 ? "primary" : "secondary"} onClick={confirmWithPasskey} disabled={working}>
            {working ? t("working") : t("usePasskey")}
          </Button>
        ) : method === "device" ? (
          <Button key={method} type="button" variant={index === 0 ? "primary" : "secondary"} onClick={confirmOnThisDevice} disabled={working}>
            {working ? t("working") : t("useDevice")}
          </Button>
        ) : (
          <form key={method} onSubmit={confirmWithApp} className="space-y-3" noValidate={false}>
            <OtpInput label={t("appCodeLabel")} hint={t("appCodeHint")} autoFocus={index === 0} />
            <Button type="submit" variant={index === 0 ? "primary" : "secondary"} disabled={working}>
              {working ? t("working") : t("useApp")}
            </Button>
          </form>
        ),
      )}
      {onCancel ? (
        <Button type="button" variant="link" onClick={onCancel}>
          {t("cancel")}
        </Button>
      ) : null}
    </section>
  );
}
