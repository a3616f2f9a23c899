import type { ErrorCode } from "./errors";
import type { Execution } from "./execute";
import type { FormState } from "./form-state";

/**
 * What a server action called from client code (not from a form) hands
 * back: the command's data, or its error code for the UI to translate.
 * The same idea as FormState, for ceremonies that run in steps in the
 * browser (WebAuthn cannot be a plain form post).
 */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: ErrorCode; retryAfterSeconds?: number; fieldErrors?: Record<string, string> };

export function actionResultFrom<T>(execution: Execution): ActionResult<T> {
  const { envelope } = execution;
  if (envelope.ok) return { ok: true, data: envelope.data as T };
  return {
    ok: false,
    error: envelope.error?.code ?? "INTERNAL_ERROR",
    retryAfterSeconds: execution.retryAfterSeconds,
    fieldErrors: envelope.error?.fields,
  };
}

/**
 * What client code reports when calling a server action threw (the network
 * dropped, the server restarted): the same "try again in a moment" as a
 * database outage, instead of a button stuck on "Waiting…".
 */
export const ACTION_UNREACHABLE: Extract<ActionResult<never>, { ok: false }> = {
  ok: false,
  error: "SERVICE_UNAVAILABLE",
};

/** A failed result as form state, so `useErrorText` can translate it. */
export function formStateOf(result: Extract<ActionResult<unknown>, { ok: false }>): FormState {
  return {
    status: "error",
    error: result.error,
    retryAfterSeconds: result.retryAfterSeconds,
    fieldErrors: result.fieldErrors,
  };
}

/**
 * A server action's argument as a plain record. Its declared type helps the
 * client that calls it; at run time it is whatever anyone posted, so the
 * action reads fields from this and lets the command's schema judge them.
 */
export function untrustedRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
