"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { usePasskeyErrorText } from "@/components/auth/passkey-errors";
import { ConfirmItsYou } from "@/components/auth/passkey-reauth-step";
import { reauthProofFor, useReauth } from "@/components/auth/use-reauth";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ACTION_UNREACHABLE } from "@/lib/auth/core/action-result";
import { isolate } from "@/lib/i18n/isolate";
import { deletePasskeyAction } from "./actions";
import type { PasskeyItem } from "./passkey-list";
import { RenamePasskeyForm } from "./rename-passkey-form";

type Mode = "view" | "rename" | "confirm-remove";

/**
 * One passkey: its name (rendered as text by React, so whatever was typed
 * stays text), when it was made and last used, whether it syncs, and the
 * rename and remove actions. Removing says what will still let the person in,
 * and asks for a passkey first when this session has not used one lately.
 */
export function PasskeyRow({
  passkey,
  otherPasskeys,
  onRenamed,
  onRemoved,
  onStart,
}: {
  passkey: PasskeyItem;
  otherPasskeys: number;
  onRenamed: () => void;
  onRemoved: () => void;
  onStart: () => void;
}) {
  const t = useTranslations("security");
  const locale = useLocale();
  const errorText = usePasskeyErrorText();
  const reauth = useReauth();
  const [mode, setMode] = useState<Mode>("view");
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = isolate(passkey.name);

  function switchTo(next: Mode): void {
    onStart();
    setError(null);
    reauth.cancel();
    setMode(next);
  }

  async function remove(): Promise<void> {
    setError(null);
    setRemoving(true);
    const result = await deletePasskeyAction(locale, passkey.id).catch(() => ACTION_UNREACHABLE);
    setRemoving(false);
    const proof = result.ok ? null : reauthProofFor(result.error);
    if (result.ok) onRemoved();
    else if (proof) reauth.require(() => void remove(), proof);
    else setError(errorText.server(result));
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
            onRenamed();
          }}
          onCancel={() => setMode("view")}
        />
      ) : null}

      {mode === "confirm-remove" ? (
        <div role="group" aria-labelledby={`remove-${passkey.id}`} className="space-y-3 rounded-md bg-red-50 p-3">
          <p id={`remove-${passkey.id}`} className="font-medium">
            {t("removeTitle", { name })}
          </p>
          <p className="text-sm text-gray-800">
            {otherPasskeys > 0 ? t("removeOthers", { count: otherPasskeys }) : t("removeLast")}
          </p>
          <div aria-live="polite">{error ? <FormMessage tone="error">{error}</FormMessage> : null}</div>
          {reauth.required ? (
            <ConfirmItsYou proof={reauth.proof} onConfirmed={reauth.confirmed} onCancel={() => switchTo("view")} />
          ) : (
            <div className="space-y-2">
              <Button type="button" variant="danger" onClick={remove} disabled={removing} autoFocus>
                {removing ? t("removing") : t("confirmRemove")}
              </Button>
              <Button type="button" variant="secondary" onClick={() => setMode("view")}>
                {t("cancel")}
              </Button>
            </div>
          )}
        </div>
      ) : null}
    </li>
  );
}
