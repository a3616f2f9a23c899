"use server";

import type { DeliveryStatus } from "@/lib/delivery/outbox";
import { redirect } from "next/navigation";
import { runBrowserCommand } from "@/lib/server/browser-command";
import { formStateFrom } from "@/lib/auth/core/action-result";
import type { FormState } from "@/lib/auth/core/form-state";
import { addressForFreshRequest } from "@/lib/server/magic-link-page";
import { localeFrom, localizedPath } from "@/lib/i18n/paths";
import { secondFactorStepAfter, type SecondFactorStep } from "./second-factor";

/**
 * Sign-in is two steps in one form state: "request" (type your email) and
 * "code" (check your email; enter the code here or open the link).
 * Actions stay thin: read the form, run the command, map the envelope.
 */
export interface SignInState extends FormState {
  step: "request" | "code";
  challengeId?: string;
  /** What the page shows: the typed address, or a masked one for a fresh link. */
  displayEmail?: string;
  /** Hidden fields the "send a new link" form repeats. */
  resendWith?: { email?: string; token?: string };
  delivery?: DeliveryStatus;
  resent?: boolean;
  /** The code was right but the sign-in was escalated: the authenticator app's code is asked for next. */
  secondFactor?: SecondFactorStep;
}

/** Requests a link for a typed `email`, or for the address behind an old link's `token`. */
export async function requestLinkAction(previous: SignInState, form: FormData): Promise<SignInState> {
  const locale = localeFrom(form.get("locale"));
  const token = form.get("token");
  const typed = String(form.get("email") ?? "");
  const fromLink = typeof token === "string" && token ? await addressForFreshRequest(token) : null;
  if (typeof token === "string" && token && !fromLink) {
    return { ...previous, status: "error", error: "TOKEN_INVALID" };
  }

  const execution = await runBrowserCommand(
    "AUTH.MAGIC_LINK.REQUEST",
    { email: fromLink?.email ?? typed, locale, callbackUrl: String(form.get("callbackUrl") ?? "") || undefined },
    locale,
  );
  const { envelope } = execution;
  if (!envelope.ok) return { ...previous, ...formStateFrom(execution), displayEmail: typed };
  const data = envelope.data;
  return {
    status: "done",
    step: "code",
    challengeId: data.challengeId,
    displayEmail: fromLink?.masked ?? typed,
    resendWith: fromLink ? { token: String(token) } : { email: typed },
    delivery: data.delivery,
    resent: previous.step === "code",
  };
}

export async function verifyCodeAction(previous: SignInState, form: FormData): Promise<SignInState> {
  const locale = localeFrom(form.get("locale"));
  const code = String(form.get("code") ?? "").trim();
  const execution = await runBrowserCommand(
    "AUTH.EMAIL_CODE.VERIFY",
    { challengeId: String(form.get("challengeId") ?? ""), code, ...totpCodeOf(form) },
    locale,
  );
  const { envelope } = execution;
  if (!envelope.ok) {
    const secondFactor = secondFactorStepAfter(execution, previous.secondFactor, code);
    return { ...previous, ...formStateFrom(execution), resent: false, secondFactor };
  }
  redirect(localizedPath(locale, envelope.data.redirectTo));
}

export interface LinkState extends FormState {
  token: string;
  /** The link's proof was right but the sign-in was escalated: the authenticator app's code is asked for next. */
  secondFactor?: SecondFactorStep;
}

/** The magic-link page's POST: the only way a link becomes a session. */
export async function redeemLinkAction(previous: LinkState, form: FormData): Promise<LinkState> {
  const locale = localeFrom(form.get("locale"));
  const code = String(form.get("code") ?? "").trim();
  const execution = await runBrowserCommand(
    "AUTH.MAGIC_LINK.REDEEM",
    { token: previous.token, ...(form.has("code") ? { code } : {}), ...totpCodeOf(form) },
    locale,
  );
  const { envelope } = execution;
  if (!envelope.ok) {
    const secondFactor = secondFactorStepAfter(execution, previous.secondFactor, form.has("code") ? code : undefined);
    return { ...previous, ...formStateFrom(execution), secondFactor };
  }
  redirect(localizedPath(locale, envelope.data.redirectTo));
}

/** The authenticator app's code, when the form has the field (the command's schema judges it). */
function totpCodeOf(form: FormData): { totpCode?: string } {
  const totpCode = form.get("totpCode");
  return typeof totpCode === "string" ? { totpCode } : {};
}
