"use client";

import { useLocale, useTranslations } from "next-intl";
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode, type RefObject } from "react";
import { usePasskeyErrorText } from "@/components/auth/passkey-errors";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ACTION_UNREACHABLE } from "@/lib/auth/core/action-result";
import { revokeOtherSessionsAction } from "./actions";

const FactorChanged = createContext<() => void>(() => undefined);

/** What a part of the page calls after it added or removed a passkey or an authenticator app. */
export function useFactorChanged(): () => void {
  return useContext(FactorChanged);
}

/**
 * The security page's one place for what follows a factor change (a passkey
 * or an app added or removed): the account was emailed, and anyone else signed in can
 * be signed out now (ASVS 7.4.3). It appears above the panels and takes the
 * focus, so keyboard and screen-reader users meet it next.
 */
export function FactorChanges({ children }: { children: ReactNode }) {
  const [changes, setChanges] = useState(0);
  const heading = useRef<HTMLHeadingElement>(null);
  const changed = useCallback(() => setChanges((count) => count + 1), []);

  useEffect(() => {
    if (changes > 0) heading.current?.focus();
  }, [changes]);

  return (
    <FactorChanged value={changed}>
      {/* Keyed by the change, so a second change offers the sign-out again. */}
      {changes > 0 ? <SignOutOthers key={changes} heading={heading} /> : null}
      {children}
    </FactorChanged>
  );
}

function SignOutOthers({ heading }: { heading: RefObject<HTMLHeadingElement | null> }) {
  const t = useTranslations("security");
  const locale = useLocale();
  const errorText = usePasskeyErrorText();
  const [working, setWorking] = useState(false);
  const [signedOut, setSignedOut] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function signOutOthers(): Promise<void> {
    setError(null);
    setWorking(true);
    const result = await revokeOtherSessionsAction(locale).catch(() => ACTION_UNREACHABLE);
    setWorking(false);
    if (result.ok) setSignedOut(result.data.revoked);
    else setError(errorText.server(result));
  }

  return (
    <section aria-labelledby="factor-changed-heading" className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-4 sm:p-6">
      <h2 id="factor-changed-heading" ref={heading} tabIndex={-1} className="text-lg font-semibold text-gray-900">
        {t("factorChangedTitle")}
      </h2>
      <p className="text-gray-800">{t("factorChanged")}</p>
      <div aria-live="polite" className="space-y-2">
        {error ? <FormMessage tone="error">{error}</FormMessage> : null}
        {signedOut !== null ? <FormMessage tone="success">{t("signedOutOthers", { count: signedOut })}</FormMessage> : null}
      </div>
      {signedOut === null ? (
        <Button type="button" variant="secondary" onClick={() => void signOutOthers()} disabled={working}>
          {working ? t("signingOutOthers") : t("signOutOthers")}
        </Button>
      ) : null}
    </section>
  );
}
