import type { StepUpMethod } from "../policy/types";
import type { ErrorCode } from "./errors";

/**
 * A STEP_UP_REQUIRED refusal as a page reads it: the action, the methods
 * that would satisfy it (in the order to offer them) and how fresh the
 * proof must be; `reasons` are policy reason ids (`policy.reasons.<id>`).
 */
export interface StepUpDemand {
  action: string;
  methods: StepUpMethod[];
  maxAgeSeconds: number;
  reasons: string[];
}

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
  /** STEP_UP_REQUIRED: what the step-up dialog asks for (components/auth/use-step-up.tsx). */
  stepUp?: StepUpDemand;
  /** ACTION_DENIED: the policy's reasons, for a translated explanation. */
  deniedReasons?: string[];
}

export const idleFormState: FormState = { status: "idle" };
