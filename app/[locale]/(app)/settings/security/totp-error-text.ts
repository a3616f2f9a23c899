"use client";

import { useTranslations } from "next-intl";
import type { ActionFailure } from "@/lib/auth/core/action-result";
import type { ErrorCode } from "@/lib/auth/core/errors";

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
    return { text: errors(result.error, { minutes }), isCodeError: false };
  };
}
