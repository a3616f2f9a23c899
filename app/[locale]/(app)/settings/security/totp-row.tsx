"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmItsYou } from "@/components/auth/passkey-reauth-step";
import { StepUpPanel } from "@/components/auth/step-up-panel";
import { useReauth } from "@/components/auth/use-reauth";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import type { StepUpDemand } from "@/lib/auth/core/form-state";
import { ACTION_UNREACHABLE } from "@/lib/auth/core/action-result";
import { isolate } from "@/lib/i18n/isolate";
import { deleteTotpFactorAction } from "./totp-actions";
import type { TotpItem } from "./totp-list";
import { proofFor, useTotpErrorText } from "./totp-refusal";

/**
 * One authenticator app: its name and dates, and "Remove" behind a
 * confirmation that says what still lets the person in. When the policy
 * wants a fresher proof first, the re-confirmation appears in place and
 * the removal runs again after it.
 */
export function TotpRow({ app, onRemoved, onStart }: { app: TotpItem; onRemoved: () => void; onStart: () => void }) {
  const t = useTranslations("totp");
  const locale = useLocale();
  const errorText = useTotpErrorText();
  const reauth = useReauth();
  // An account whose strongest factor is an app confirms with it (a step-up), then the action runs again.
  const [appStepUp, setAppStepUp] = useState<{ demand: StepUpDemand; retry: () => void } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = isolate(app.name);
  const groupId = `remove-totp-${app.id}`;

  function close(): void {
    setError(null);
    reauth.cancel();
    setAppStepUp(null);
    setConfirming(false);
  }

  async function remove(): Promise<void> {
    setError(null);
    setRemoving(true);
    const result = await deleteTotpFactorAction(locale, app.id).catch(() => ACTION_UNREACHABLE);
    setRemoving(false);
    if (result.ok) return onRemoved();
    const proof = proofFor(result);
    if (proof === "email" || proof === "passkey") reauth.require(() => void remove(), proof);
    else if (proof === "totp" && result.stepUp) setAppStepUp({ demand: result.stepUp, retry: () => void remove() });
    else setError(errorText(result).text);
  }

  return (
    <li className="space-y-3 rounded-md border border-gray-200 p-4">
      <h3 className="font-medium break-all">
        <bdi>{app.name}</bdi>
      </h3>
      <p className="text-sm text-gray-600">
        {app.created}
        <br />
        {app.lastUsed}
      </p>

      {confirming ? (
        <div role="group" aria-labelledby={groupId} className="space-y-3 rounded-md bg-red-50 p-3">
          <p id={groupId} className="font-medium">
            {t("removeTitle", { name })}
          </p>
          <p className="text-sm text-gray-800">{t("removeBody")}</p>
          <div aria-live="polite">{error ? <FormMessage tone="error">{error}</FormMessage> : null}</div>
          {reauth.required ? (
            <ConfirmItsYou proof={reauth.proof} onConfirmed={reauth.confirmed} onCancel={close} />
          ) : appStepUp ? (
            <StepUpPanel
              demand={appStepUp.demand}
              onConfirmed={() => {
                setAppStepUp(null);
                appStepUp.retry();
              }}
              onCancel={close}
            />
          ) : (
            <div className="space-y-2">
              <Button type="button" variant="danger" onClick={() => void remove()} disabled={removing} autoFocus>
                {removing ? t("removing") : t("confirmRemove")}
              </Button>
              <Button type="button" variant="secondary" onClick={close}>
                {t("cancel")}
              </Button>
            </div>
          )}
        </div>
      ) : (
        <Button
          type="button"
          variant="secondary"
          aria-label={t("removeNamed", { name, date: app.created })}
          onClick={() => {
            onStart();
            setConfirming(true);
          }}
        >
          {t("remove")}
        </Button>
      )}
    </li>
  );
}
