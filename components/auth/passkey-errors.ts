"use client";

import { useTranslations } from "next-intl";
import { formStateOf, type ActionResult } from "@/lib/auth/core/action-result";
import { useErrorText } from "./error-text";
import type { BrowserProblem } from "./passkey-problem";

export { browserProblemOf, type BrowserProblem } from "./passkey-problem";

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
