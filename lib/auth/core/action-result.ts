import { STEP_UP_METHODS } from "../policy/types";
import type { ErrorCode } from "./errors";
import type { Execution } from "./execute";
import type { FormState, StepUpDemand } from "./form-state";

/**
 * What a server action hands back to client code: the command's data, or
 * its error code for the UI to translate. Forms read the same failure as
 * FormState (formStateFrom); this is the one mapper from an envelope to
 * what a page shows.
 */
export type ActionResult<T> = { ok: true; data: T } | ActionFailure;

export type ActionFailure = {
  ok: false;
  error: ErrorCode;
  retryAfterSeconds?: number;
  fieldErrors?: Record<string, string>;
  /** STEP_UP_REQUIRED: what would satisfy the policy (components/auth/use-step-up.tsx shows it). */
  stepUp?: StepUpDemand;
  /** ACTION_DENIED: the rules that refused, for a translated explanation (`policy.reasons.<id>`). */
  deniedReasons?: string[];
};

export function actionResultFrom<T>(execution: Execution<T>): ActionResult<T> {
  const { envelope } = execution;
  if (envelope.ok) return { ok: true, data: envelope.data };
  return {
    ok: false,
    error: envelope.error.code,
    retryAfterSeconds: execution.retryAfterSeconds,
    fieldErrors: envelope.error.fields,
    ...policyRefusalOf(envelope.error.code, envelope.error.details),
  };
}

/** The policy's refusal, read back from the envelope's details (lib/auth/step-up/require-action.ts wrote them). */
function policyRefusalOf(code: ErrorCode, details: Record<string, unknown> | undefined): Pick<ActionFailure, "stepUp" | "deniedReasons"> {
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);
  if (code === "STEP_UP_REQUIRED" && details && typeof details.action === "string" && typeof details.maxAgeSeconds === "number") {
    return {
      stepUp: {
        action: details.action,
        methods: strings(details.methods).filter(isStepUpMethod),
        maxAgeSeconds: details.maxAgeSeconds,
        reasons: strings(details.reasons),
      },
    };
  }
  if (code === "ACTION_DENIED" && details) return { deniedReasons: strings(details.reasons) };
  return {};
}

function isStepUpMethod(method: string): method is StepUpDemand["methods"][number] {
  return (STEP_UP_METHODS as readonly string[]).includes(method);
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
    ...(result.stepUp ? { stepUp: result.stepUp } : {}),
    ...(result.deniedReasons ? { deniedReasons: result.deniedReasons } : {}),
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
