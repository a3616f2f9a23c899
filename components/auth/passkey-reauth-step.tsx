"use client";

import { browserSupportsWebAuthn, startAuthentication } from "@simplewebauthn/browser";
import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { beginPasskeyReauthAction, finishPasskeyReauthAction } from "@/app/[locale]/(app)/passkey-actions";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ACTION_UNREACHABLE, type ActionResult } from "@/lib/auth/core/action-result";
import { browserProblemOf, usePasskeyErrorText, type BrowserProblem } from "./passkey-errors";
import { ReauthStep } from "./reauth-step";
import type { ReauthProof } from "./use-reauth";

type Failed = Extract<ActionResult<unknown>, { ok: false }>;
type Attempt =
  | { kind: "confirmed" }
  /** Aborted: nothing to report. */
  | { kind: "cancelled" }
  | { kind: "server"; result: Failed }
  | { kind: "browser"; problem: BrowserProblem };

/**
 * "Confirm it's you" before passkeys change, with the proof the server
 * asked for: an emailed code while the account has no passkey, one of its
 * passkeys once it has one (an emailed code is then not enough: brief
 * access to a mailbox must not become a lasting passkey).
 */
export function ConfirmItsYou({
  proof,
  onConfirmed,
  onCancel,
}: {
  proof: ReauthProof;
  onConfirmed: () => void;
  onCancel: () => void;
}) {
  return proof === "passkey" ? (
    <PasskeyReauthStep onConfirmed={onConfirmed} onCancel={onCancel} />
  ) : (
    <ReauthStep onConfirmed={onConfirmed} onCancel={onCancel} />
  );
}

/**
 * Re-confirmation with one of the account's passkeys: a challenge for this
 * session's account, the browser's dialog (offering only this account's
 * passkeys, on this device or a phone), then the server records the proof
 * on the session and rotates its cookie. Calls `onConfirmed` after that, so
 * the interrupted action can carry on.
 */
export function PasskeyReauthStep({ onConfirmed, onCancel }: { onConfirmed: () => void; onCancel: () => void }) {
  const t = useTranslations("passkeyReauth");
  const locale = useLocale();
  const errorText = usePasskeyErrorText();
  const heading = useRef<HTMLHeadingElement>(null);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Keyboard and screen-reader users land on the new step, not behind it.
  useEffect(() => heading.current?.focus(), []);

  async function attempt(): Promise<Attempt> {
    const begun = await beginPasskeyReauthAction(locale);
    if (!begun.ok) return { kind: "server", result: begun };
    let response;
    try {
      response = await startAuthentication({ optionsJSON: begun.data.options });
    } catch (thrown) {
      const problem = browserProblemOf(thrown);
      return problem ? { kind: "browser", problem } : { kind: "cancelled" };
    }
    const finished = await finishPasskeyReauthAction(locale, { challengeId: begun.data.challengeId, response });
    return finished.ok ? { kind: "confirmed" } : { kind: "server", result: finished };
  }

  async function confirm(): Promise<void> {
    setError(null);
    if (!browserSupportsWebAuthn()) {
      setError(errorText.browser("unsupported"));
      return;
    }
    setWorking(true);
    const outcome = await attempt().catch((): Attempt => ({ kind: "server", result: ACTION_UNREACHABLE }));
    setWorking(false);
    if (outcome.kind === "confirmed") onConfirmed();
    else if (outcome.kind === "server") setError(errorText.server(outcome.result));
    else if (outcome.kind === "browser") setError(errorText.browser(outcome.problem));
  }

  return (
    <section aria-labelledby="passkey-reauth-heading" className="space-y-4 rounded-md border border-blue-200 bg-blue-50/40 p-4">
      <h2 id="passkey-reauth-heading" ref={heading} tabIndex={-1} className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="text-gray-700">{t("intro")}</p>
      <div aria-live="polite">{error ? <FormMessage tone="error">{error}</FormMessage> : null}</div>
      <Button type="button" onClick={() => void confirm()} disabled={working}>
        {working ? t("working") : t("use")}
      </Button>
      <Button type="button" variant="link" onClick={onCancel}>
        {t("cancel")}
      </Button>
    </section>
  );
}
