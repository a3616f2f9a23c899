"use client";

import { useTranslations } from "next-intl";
import { formStateOf, type ActionResult } from "@/lib/auth/action-result";
import { useErrorText } from "./error-text";

/** What went wrong on the browser's side of a ceremony: a key under `passkeyErrors`. */
export type BrowserProblem = "notAllowed" | "alreadyRegistered" | "unsupported" | "failed";

/**
 * Browsers report WebAuthn failures with a handful of DOMException names,
 * deliberately vague so a page cannot probe which credentials exist
 * (NotAllowedError covers "cancelled", "timed out" and "could not verify the
 * user"). @simplewebauthn/browser wraps them in a WebAuthnError whose `name`
 * is the original's. Returns null for an abort: a newer ceremony replaced
 * this one, or the person chose email instead. Nothing to show then.
 */
export function browserProblemOf(error: unknown): BrowserProblem | null {
  const name = error instanceof Error ? error.name : "";
  switch (name) {
    case "AbortError":
      return null;
    case "NotAllowedError":
      return "notAllowed";
    case "InvalidStateError":
      return "alreadyRegistered";
    case "NotSupportedError":
    case "ConstraintError":
      return "unsupported";
    default:
      return "failed";
  }
}

/** Turns either kind of failure into a sentence in the reader's language; never a stack or a raw message. */
export function usePasskeyErrorText() {
  const t = useTranslations("passkeyErrors");
  const errors = useErrorText();
  return {
    browser: (problem: BrowserProblem) => t(problem),
    // A validation failure of the browser's response names fields the person
    // never saw; "something went wrong with the passkey" is the honest summary.
    server: (result: Extract<ActionResult<unknown>, { ok: false }>) =>
      errors.formError(formStateOf(result)) ?? t("failed"),
  };
}
