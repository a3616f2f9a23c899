"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { usePasskeyErrorText } from "@/components/auth/passkey-errors";
import { signalPasskeysNow } from "@/components/auth/passkey-signal-keeper";
import { Button } from "@/components/ui/button";
import { isolate } from "@/lib/i18n/isolate";
import { deletePasskeyAction } from "./actions";
import { ConfirmFactorRemoval } from "./confirm-factor-removal";
import type { PasskeyItem, RowEvents } from "./factor-list";
import { RenamePasskeyForm } from "./rename-passkey-form";

type Mode = "view" | "rename" | "confirm-remove";

/**
 * One passkey: its name (rendered as text by React, so whatever was typed
 * stays text), when it was made and last used, whether it syncs, and the
 * rename and remove actions. Removing says what will still let the person in,
 * and asks for a step-up with a passkey first when this session has no
 * recent passkey proof (ConfirmFactorRemoval).
 */
export function PasskeyRow({
  passkey,
  otherPasskeys,
  onRemoved,
  onStart,
  announce,
}: { passkey: PasskeyItem; otherPasskeys: number } & RowEvents) {
  const t = useTranslations("security");
  const locale = useLocale();
  const errorText = usePasskeyErrorText();
  const [mode, setMode] = useState<Mode>("view");
  const name = isolate(passkey.name);

  function switchTo(next: Mode): void {
    onStart();
    setMode(next);
  }

  return (
    <li className="space-y-3 rounded-md border border-gray-200 p-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-medium break-all">
          {/* bdi: a name in another script keeps its own direction inside the page's. */}
          <bdi>{passkey.name}</bdi>
        </h3>
        <span className="rounded-full bg-gray-100 px-2 py-0.5 text-xs font-medium text-gray-800">
          {passkey.synced ? t("synced") : t("deviceOnly")}
        </span>
      </div>
      <p className="text-sm text-gray-600">
        {passkey.created}
        <br />
        {passkey.lastUsed}
      </p>

      {mode === "view" ? (
        <div className="grid grid-cols-2 gap-2">
          <Button
            type="button"
            variant="secondary"
            aria-label={t("renameNamed", { name })}
            onClick={() => switchTo("rename")}
          >
            {t("rename")}
          </Button>
          <Button
            type="button"
            variant="secondary"
            aria-label={t("removeNamed", { name })}
            onClick={() => switchTo("confirm-remove")}
          >
            {t("remove")}
          </Button>
        </div>
      ) : null}

      {mode === "rename" ? (
        <RenamePasskeyForm
          passkey={passkey}
          onDone={() => {
            setMode("view");
            announce(t("renamed"));
            // The passkey providers show names from the account, not from the passkey's label; tell them anyway.
            void signalPasskeysNow(locale);
          }}
          onCancel={() => setMode("view")}
        />
      ) : null}

      {mode === "confirm-remove" ? (
        <ConfirmFactorRemoval
          id={`remove-${passkey.id}`}
          title={t("removeTitle", { name })}
          body={otherPasskeys > 0 ? t("removeOthers", { count: otherPasskeys }) : t("removeLast")}
          labels={{ confirm: t("confirmRemove"), removing: t("removing"), cancel: t("cancel") }}
          remove={async () => {
            const removed = await deletePasskeyAction(locale, passkey.id);
            // The browser's providers stop offering it (WebAuthn's allAcceptedCredentials signal).
            if (removed.ok) void signalPasskeysNow(locale);
            return removed;
          }}
          errorText={errorText.server}
          onRemoved={onRemoved}
          onCancel={() => switchTo("view")}
        />
      ) : null}
    </li>
  );
}
