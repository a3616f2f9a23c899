"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import {
  checkPasskeyPromptAction,
  recordPasskeyPromptAction,
  type PromptAction,
} from "@/app/[locale]/(app)/passkey-actions";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { Link } from "@/lib/i18n/navigation";
import type { PromptEvent } from "@/lib/auth/passkeys/passkey-prompt";
import { usePasskeyRegistration } from "./use-passkey-registration";
import { canCreatePasskeyQuietly, canMakePlatformPasskey } from "./browser-capabilities";

/**
 * The passkey upgrade prompt, shown right after a valuable action succeeded
 * (never on the sign-in path, never before the person got something done).
 * It appears only when both agree: this browser can make a passkey with a
 * built-in, user-verifying authenticator, and the server's rules allow it
 * (no passkey used on this browser, not dismissed in the last 7 days, fewer
 * than 3 dismissals). Every step is recorded, so the enrollment rate per
 * prompt can be measured: shown, accepted (a passkey was created), failed
 * (the attempt did not complete), dismissed ("Not now"). Where the browser
 * offers conditional create, the password manager just used is also asked,
 * in the background, to make the passkey without a dialog; if it does, the
 * prompt says it was made. A browser may keep that request waiting, so the
 * prompt never waits for it, and pressing its button takes over (starting
 * a ceremony aborts a pending one).
 */
export function PasskeyUpgradePrompt({ action }: { action: PromptAction }) {
  const t = useTranslations("passkeyPrompt");
  const locale = useLocale();
  const [visible, setVisible] = useState(false);

  function record(event: PromptEvent): void {
    // Measurement must never get in the person's way: a lost event is only a lost event.
    void recordPasskeyPromptAction(locale, { action, event }).catch(() => undefined);
  }

  const registration = usePasskeyRegistration((outcome) => {
    if (outcome === "registered") record("accepted");
    if (outcome === "failed") record("failed");
  });

  const { registerQuietly } = registration;
  useEffect(() => {
    let abandoned = false;
    void (async () => {
      // The browser's own answer first: no server round trip where no platform passkey can be made.
      const quietly = await canCreatePasskeyQuietly();
      if ((!quietly && !(await canMakePlatformPasskey())) || abandoned) return;
      const checked = await checkPasskeyPromptAction(locale, action);
      if (abandoned || !checked.ok || !checked.data.eligible) return;
      setVisible(true);
      void recordPasskeyPromptAction(locale, { action, event: "shown" }).catch(() => undefined);
      if (quietly && (await registerQuietly()) && !abandoned) {
        void recordPasskeyPromptAction(locale, { action, event: "accepted" }).catch(() => undefined);
      }
    })().catch(() => undefined);
    return () => {
      abandoned = true;
    };
  }, [action, locale, registerQuietly]);

  function dismiss(): void {
    record("dismissed");
    setVisible(false);
  }

  if (!visible) return null;

  return (
    <aside
      aria-labelledby="passkey-prompt-title"
      className="space-y-3 rounded-lg border border-blue-200 bg-blue-50 p-4"
    >
      <h2 id="passkey-prompt-title" className="text-lg font-semibold text-gray-900">
        {t("title")}
      </h2>
      <div aria-live="polite">
        {registration.error ? <FormMessage tone="error">{registration.error}</FormMessage> : null}
        {registration.registered ? <FormMessage tone="success">{t("created")}</FormMessage> : null}
      </div>
      {registration.registered ? (
        <Link href="/settings/security" className="inline-block text-blue-700 underline underline-offset-4">
          {t("manage")}
        </Link>
      ) : registration.asking ? (
        registration.dialog
      ) : (
        <>
          <p className="text-gray-800">{t("body")}</p>
          <div className="flex flex-col gap-2 sm:flex-row">
            <Button type="button" onClick={() => void registration.register()} disabled={registration.working}>
              {registration.working ? t("creating") : t("create")}
            </Button>
            <Button type="button" variant="secondary" onClick={dismiss} disabled={registration.working}>
              {t("notNow")}
            </Button>
          </div>
        </>
      )}
    </aside>
  );
}
