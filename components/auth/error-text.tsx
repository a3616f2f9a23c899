"use client";

import { useTranslations } from "next-intl";
import type { FormState } from "@/lib/auth/form-state";

/** Translates a form state's error code (and its retry time) into a sentence. */
export function useErrorText() {
  const t = useTranslations("errors");
  return {
    formError(state: FormState): string | undefined {
      if (state.status !== "error" || !state.error) return undefined;
      // Field problems are shown beside their fields instead.
      if (state.error === "VALIDATION_FAILED" && state.fieldErrors) return undefined;
      const minutes = Math.max(1, Math.ceil((state.retryAfterSeconds ?? 60) / 60));
      return t(state.error, { minutes });
    },
    fieldError(state: FormState, field: string): string | undefined {
      const key = state.status === "error" ? state.fieldErrors?.[field] : undefined;
      if (!key) return undefined;
      return t.has(key) ? t(key as "VALIDATION_FAILED") : t("VALIDATION_FAILED");
    },
  };
}
