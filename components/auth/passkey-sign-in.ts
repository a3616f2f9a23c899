import { WebAuthnAbortService, startAuthentication } from "@simplewebauthn/browser";
import { beginPasskeySignInAction, finishPasskeySignInAction } from "@/app/[locale]/(auth)/passkey-actions";
import { ACTION_UNREACHABLE, type ActionResult } from "@/lib/auth/core/action-result";
import { browserProblemOf, type BrowserProblem } from "./passkey-problem";
import { signalUnknownPasskey } from "./passkey-signals";

export type SignInOutcome =
  | { kind: "signed-in"; redirectTo: string }
  /** Aborted or replaced by a newer attempt: not a failure to report. */
  | { kind: "superseded" }
  | { kind: "server-error"; result: Extract<ActionResult<unknown>, { ok: false }> }
  | { kind: "browser-error"; problem: BrowserProblem };

export interface SignInAttempt {
  locale: string;
  callbackUrl: string;
  /** Conditional mediation: the browser offers the passkey in the email field's autofill. */
  autofill: boolean;
  /** False once a newer attempt started or the page stopped wanting this one. */
  stillWanted: () => boolean;
  /** The person chose a passkey and the browser answered; the server has yet to check it. */
  onBrowserAnswered: () => void;
}

/*
 * The sign-in page imports this module on demand (passkey-button.tsx): when
 * the browser can offer passkeys in autofill, or at the first press of the
 * button. It must stay free of translations so that it loads alone.
 */

/** Aborts the browser's pending passkey request, if any (the person chose email instead). */
export function cancelPasskeyCeremony(): void {
  WebAuthnAbortService.cancelCeremony();
}

/**
 * One passkey sign-in: a fresh server-side challenge (bound to this browser
 * by a cookie), the browser's dialog or autofill, then the server's checks.
 * Starting a ceremony aborts any pending one (WebAuthnAbortService), so the
 * button quietly takes over from a waiting autofill request.
 */
export async function signInWithPasskey(attempt: SignInAttempt): Promise<SignInOutcome> {
  try {
    return await attemptSignIn(attempt);
  } catch {
    // Only the server actions throw here (startAuthentication's errors are handled below).
    return { kind: "server-error", result: ACTION_UNREACHABLE };
  }
}

async function attemptSignIn(attempt: SignInAttempt): Promise<SignInOutcome> {
  const begun = await beginPasskeySignInAction(attempt.locale);
  // A newer attempt started while this one fetched its challenge: starting
  // the browser's ceremony now would abort that newer one.
  if (!attempt.stillWanted()) return { kind: "superseded" };
  if (!begun.ok) return { kind: "server-error", result: begun };

  let response;
  try {
    response = await startAuthentication({ optionsJSON: begun.data.options, useBrowserAutofill: attempt.autofill });
  } catch (error) {
    const problem = browserProblemOf(error);
    return problem ? { kind: "browser-error", problem } : { kind: "superseded" };
  }
  attempt.onBrowserAnswered();
  const finished = await finishPasskeySignInAction(attempt.locale, {
    challengeId: begun.data.challengeId,
    response,
    callbackUrl: attempt.callbackUrl,
  });
  if (finished.ok) return { kind: "signed-in", redirectTo: finished.data.redirectTo };
  // A passkey deleted here (or never registered): its provider may stop offering it.
  if (finished.error === "PASSKEY_UNKNOWN" && begun.data.options.rpId) void signalUnknownPasskey(begun.data.options.rpId, response.id);
  return { kind: "server-error", result: finished };
}
