import type { ErrorCode } from "./errors";
import type { Execution } from "./execute";
import type { FormState } from "./form-state";

/**
 * What a server action hands back to client code: the command's data, or
 * its error code for the UI to translate. Forms read the same failure as
 * FormState (formStateFrom); this is the one mapper from an envelope to
 * what a page shows.
 */
export type ActionResult<T> = { ok: true; data: T } | ActionFailure;

export type ActionFailure = { ok: false; error: ErrorCode; retryAfterSeconds?: number; fieldErrors?: Record<string, string> };

export function actionResultFrom<T>(execution: Execution<T>): ActionResult<T> {
  const { envelope } = execution;
  if (envelope.ok) return { ok: true, data: envelope.data };
  return {
    ok: false,
    error: envelope.error.code,
    retryAfterSeconds: execution.retryAfterSeconds,
    fieldErrors: envelope.error.fields,
  };
}

/**
 * What client code reports when calling a server action threw (the network
 * dropped, the server restarted): the same "try again in a moment" as a
 * database outage, instead of a button stuck on "Waiting…".
 */
export const ACTION_UNREACHABLE: ActionFailure = {
  ok: false,
  error: "SERVICE_UNAVAILABLE",
};

/** A failed result as form state, so `useErrorText` can translate it. */
export function formStateOf(result: ActionFailure): FormState {
  return {
    status: "error",
    error: result.error,
    retryAfterSeconds: result.retryAfterSeconds,
    fieldErrors: result.fieldErrors,
  };
}

/** A command's outcome as form state (read with useActionState): done, or the failure to translate. */
export function formStateFrom(execution: Execution): FormState {
  const result = actionResultFrom(execution);
  return result.ok ? { status: "done" } : formStateOf(result);
}

/**
 * A server action's argument as a plain record. Its declared type helps the
 * client that calls it; at run time it is whatever anyone posted, so the
 * action reads fields from this and lets the command's schema judge them
 * (pass them on with `unchecked`, lib/auth/core/registry.ts).
 */
export function untrustedRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
