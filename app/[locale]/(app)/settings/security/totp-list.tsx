"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { FormMessage } from "@/components/ui/form-message";
import { useFactorChanged } from "./factor-changes";
import { TotpRow } from "./totp-row";

/** One authenticator app as the page shows it: name and dates already rendered by the server. */
export interface TotpItem {
  id: string;
  name: string;
  created: string;
  lastUsed: string;
}

/** The account's apps, and the one place that announces a removal (the removed row is gone). */
export function TotpList({ apps }: { apps: TotpItem[] }) {
  const t = useTranslations("totp");
  const [announcement, setAnnouncement] = useState<string | null>(null);
  const factorChanged = useFactorChanged();

  function removed(): void {
    setAnnouncement(t("removed"));
    // A factor change: keyboard users continue from the notice that offers to sign out everywhere else.
    factorChanged();
  }

  return (
    <div className="space-y-3">
      <div aria-live="polite">{announcement ? <FormMessage tone="success">{announcement}</FormMessage> : null}</div>
      {apps.length === 0 ? (
        <p className="text-gray-700">{t("empty")}</p>
      ) : (
        <ul className="space-y-3">
          {apps.map((app) => (
            <TotpRow key={app.id} app={app} onRemoved={removed} onStart={() => setAnnouncement(null)} />
          ))}
        </ul>
      )}
    </div>
  );
}
