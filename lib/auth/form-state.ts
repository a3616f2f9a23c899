import type { ErrorCode } from "./errors";
import type { Execution } from "./execute";

/**
 * What a server action hands back to its form (read with useActionState):
 * codes, not sentences, so the form translates them in the reader's
 * language. Field errors are per field.
 */
export interface FormState {
  status: "idle" | "error" | "done";
  error?: ErrorCode;
  retryAfterSeconds?: number;
  fieldErrors?: Record<string, string>;
}

export const idleFormState: FormState = { status: "idle" };

export function formStateFromExecution(execution: Execution): FormState {
  const { envelope } = execution;
  if (envelope.ok || !envelope.error) return { status: "done" };
  return {
    status: "error",
    error: envelope.error.code,
    retryAfterSeconds: execution.retryAfterSeconds,
    fieldErrors: envelope.error.fields,
  };
}
