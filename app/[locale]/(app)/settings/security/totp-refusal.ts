"use client";

import { useTranslations } from "next-intl";
import type { ActionFailure } from "@/lib/auth/core/action-result";
import type { ErrorCode } from "@/lib/auth/core/errors";
import { reauthProofFor, type ReauthProof } from "@/components/auth/use-reauth";

/**
 * What a refused authenticator-app action needs before it can run again:
 * - a passkey re-confirmation, when the policy asks for a passkey step-up;
 * - an emailed-code re-confirmation, when an account without a strong
 *   factor has no recent proof (ACTION_DENIED, reauthentication_required);
 * Both put a fresh proof on the session, which is what `security.factor.*`
 * reads. `"totp"`: the account's strongest factor is an app, and only a
 * step-up with it will do (the step-up panel, components/auth). Null: any other
 * refusal, shown as it is.
 */
export type FactorChangeProof = ReauthProof | "totp";

export function proofFor(result: ActionFailure): FactorChangeProof | null {
  if (result.error === "STEP_UP_REQUIRED") {
    const methods = result.stepUp?.methods ?? [];
    if (methods.includes("passkey")) return "passkey";
    if (methods.includes("totp")) return "totp";
    return null;
  }
  if (result.error === "ACTION_DENIED") return result.deniedReasons?.includes("reauthentication_required") ? "email" : null;
  return reauthProofFor(result.error);
}

/** Codes whose general sentence speaks of emails and links: an app's code needs its own. */
const TOTP_ERRORS = ["CODE_INVALID", "CODE_LOCKED", "CHALLENGE_EXPIRED", "CHALLENGE_INVALID", "CHALLENGE_USED", "NOT_FOUND"] as const;
type TotpError = (typeof TOTP_ERRORS)[number];

function isTotpError(code: ErrorCode): code is TotpError {
  return (TOTP_ERRORS as readonly string[]).includes(code);
}

/** A refusal as a sentence in the reader's language; `isCodeError` says whether it belongs beside the code field. */
export function useTotpErrorText() {
  const t = useTranslations("totp");
  const errors = useTranslations("errors");
  return (result: ActionFailure): { text: string; isCodeError: boolean } => {
    const minutes = Math.max(1, Math.ceil((result.retryAfterSeconds ?? 60) / 60));
    if (result.error === "VALIDATION_FAILED" && result.fieldErrors?.code) return { text: t("errors.CODE_FORMAT"), isCodeError: true };
    if (isTotpError(result.error)) return { text: t(`errors.${result.error}`, { minutes }), isCodeError: result.error === "CODE_INVALID" };
    if (proofFor(result) === "totp") return { text: t("totpOnly"), isCodeError: false };
    return { text: errors(result.error, { minutes }), isCodeError: false };
  };
}
