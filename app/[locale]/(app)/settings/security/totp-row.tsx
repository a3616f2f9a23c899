"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { isolate } from "@/lib/i18n/isolate";
import { ConfirmFactorRemoval } from "./confirm-factor-removal";
import type { RowEvents, TotpItem } from "./factor-list";
import { deleteTotpFactorAction } from "./totp-actions";
import { useTotpErrorText } from "./totp-error-text";

/**
 * One authenticator app: its name and dates, and "Remove" behind a
 * confirmation that says what still lets the person in. When the policy
 * wants a fresher proof first, the step-up appears in place and the
 * removal runs again after it (ConfirmFactorRemoval).
 */
export function TotpRow({ app, onRemoved, onStart }: { app: TotpItem } & RowEvents) {
  const t = useTranslations("totp");
  const locale = useLocale();
  const errorText = useTotpErrorText();
  const [confirming, setConfirming] = useState(false);
  const name = isolate(app.name);

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
        <ConfirmFactorRemoval
          id={`remove-totp-${app.id}`}
          title={t("removeTitle", { name })}
          body={t("removeBody")}
          labels={{ confirm: t("confirmRemove"), removing: t("removing"), cancel: t("cancel") }}
          remove={() => deleteTotpFactorAction(locale, app.id)}
          errorText={(failure) => errorText(failure).text}
          onRemoved={onRemoved}
          onCancel={() => setConfirming(false)}
        />
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
