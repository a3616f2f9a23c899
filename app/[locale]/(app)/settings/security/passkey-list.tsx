"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { PasskeyRow } from "./passkey-row";
import { useFactorChanged } from "./factor-changes";

/** One passkey as the page shows it; dates already formatted by the server. */
export interface PasskeyItem {
  id: string;
  name: string;
  synced: boolean;
  created: string;
  lastUsed: string;
}

/**
 * The list, and the one place that announces what just happened to it:
 * a removed row disappears, so its confirmation cannot live in the row.
 */
export function PasskeyList({ passkeys }: { passkeys: PasskeyItem[] }) {
  const t = useTranslations("security");
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const factorChanged = useFactorChanged();

  function removed(): void {
    setAnnouncement(t("removed"));
    // A removal is a factor change. The focused row is gone: keyboard users
    // continue from the notice that offers to sign out everywhere else.
    factorChanged();
  }

  return (
    <div className="space-y-3">
      <div aria-live="polite">{announcement ? <FormMessage tone="success">{announcement}</FormMessage> : null}</div>
      {passkeys.length === 0 ? (
        <p className="text-gray-700">{t("empty")}</p>
      ) : (
        <ul className="space-y-3">
          {passkeys.map((passkey) => (
            <PasskeyRow
              key={passkey.id}
              passkey={passkey}
              otherPasskeys={passkeys.length - 1}
              onRenamed={() => setAnnouncement(t("renamed"))}
              onRemoved={removed}
              onStart={() => setAnnouncement(null)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
