import type { ErrorCode } from "./errors";

/**
 * What a server action hands back to its form (read with useActionState):
 * codes, not sentences, so the form translates them in the reader's
 * language. Field errors are per field. Built from a command's envelope by
 * formStateFrom (lib/auth/core/action-result.ts).
 */
export interface FormState {
  status: "idle" | "error" | "done";
  error?: ErrorCode;
  retryAfterSeconds?: number;
  fieldErrors?: Record<string, string>;
}

export const idleFormState: FormState = { status: "idle" };
