"use client";

import { useLocale, useTranslations } from "next-intl";
import type { FormState } from "@/lib/auth/core/form-state";

/**
 * What still works when sign-in by email is held back (issue 17 item 4):
 * someone else's wrong codes or link requests must not leave a person with
 * no way in. Codes locked: the link on the device that asked for it still
 * works (its binding wins over the code lock), and so does a passkey. Too
 * many requests: when to ask again, and the passkey. Nothing otherwise.
 */
export function LockoutHelp({ state, passkeyOnPage = false }: { state: FormState; passkeyOnPage?: boolean }) {
  const t = useTranslations("lockout");
  const locale = useLocale();
  if (state.status !== "error") return null;
  const text =
    state.error === "CODE_LOCKED"
      ? t("codesLocked")
      : state.error === "RATE_LIMITED"
        ? t("rateLimited", { minutes: Math.max(1, Math.ceil((state.retryAfterSeconds ?? 60) / 60)) })
        : null;
  if (!text) return null;
  return (
    <div className="space-y-2 text-sm text-gray-700">
      <p>{text}</p>
      {passkeyOnPage ? null : (
        <p>
          {/* A full page load: the sign-in page offers the passkey from a fresh state. */}
          <a href={`/${locale}/sign-in`} className="text-blue-700 underline">
            {t("usePasskey")}
          </a>
        </p>
      )}
    </div>
  );
}
