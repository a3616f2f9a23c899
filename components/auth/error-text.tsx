"use client";

import { useTranslations } from "next-intl";
import type { ErrorCode } from "@/lib/auth/core/errors";
import type { FormState } from "@/lib/auth/core/form-state";

/** Errors about one field's value, shown beside that field rather than above the form. */
export type FieldOfError = Partial<Record<ErrorCode, string>>;

const AUTH_FIELD_OF_ERROR: FieldOfError = { CODE_INVALID: "code" };

/**
 * Translates a form state's error code (and its retry time) into a
 * sentence. A form whose own codes belong beside a field names them
 * (`fieldOfError`), beside the core's.
 */
export function useErrorText(fieldOfError: FieldOfError = {}) {
  const t = useTranslations("errors");
  const fieldOf: FieldOfError = { ...AUTH_FIELD_OF_ERROR, ...fieldOfError };
  return {
    formError(state: FormState): string | undefined {
      if (state.status !== "error" || !state.error) return undefined;
      // Field problems are shown beside their fields instead.
      if (state.error === "VALIDATION_FAILED" && state.fieldErrors) return undefined;
      if (fieldOf[state.error]) return undefined;
      const minutes = Math.max(1, Math.ceil((state.retryAfterSeconds ?? 60) / 60));
      return t(state.error, { minutes });
    },
    fieldError(state: FormState, field: string): string | undefined {
      if (state.status === "error" && state.error && fieldOf[state.error] === field) return t(state.error);
      const key = state.status === "error" ? state.fieldErrors?.[field] : undefined;
      if (!key) return undefined;
      return t.has(key) ? t(key as "VALIDATION_FAILED") : t("VALIDATION_FAILED");
    },
  };
}
