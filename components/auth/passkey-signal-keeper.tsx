"use client";

import { useLocale } from "next-intl";
import { useEffect } from "react";
import { passkeySignalStateAction } from "@/app/[locale]/(app)/passkey-actions";
import { browserCanSignal, signalAccountPasskeys } from "./passkey-signals";

const LAST_SENT_KEY = "trustladder-passkey-signals";
/** Once a sign-in's first pages have sent it, more often would only repeat it; a rename or delete sends at once. */
const RESEND_AFTER_MS = 10 * 60 * 1000;

/**
 * Sends the account's passkey state to the browser's passkey providers
 * (passkey-signals.ts) on the first signed-in page this tab shows after a
 * sign-in, and at most every ten minutes after that. Renders nothing.
 */
export function PasskeySignalKeeper() {
  const locale = useLocale();
  useEffect(() => {
    if (!browserCanSignal()) return;
    const last = Number(sessionStorage.getItem(LAST_SENT_KEY) ?? "0");
    if (Date.now() - last < RESEND_AFTER_MS) return;
    sessionStorage.setItem(LAST_SENT_KEY, String(Date.now()));
    void signalPasskeysNow(locale);
  }, [locale]);
  return null;
}

/** Reads the account's passkey state and signals it: after a rename or a delete too (Settings → Security). */
export async function signalPasskeysNow(locale: string): Promise<void> {
  if (!browserCanSignal()) return;
  const state = await passkeySignalStateAction(locale).catch(() => null);
  if (state?.ok) await signalAccountPasskeys(state.data).catch(() => undefined);
}
