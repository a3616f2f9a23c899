import type { Execution } from "@/lib/auth/core/execute";
import { STRONG_METHODS, type StrongMethod } from "@/lib/auth/policy/types";

/**
 * An escalated sign-in waiting for the authenticator app's code
 * (lib/auth/step-up/sign-in-policy.ts): the link or code is still unused,
 * and the form sends it again with `totpCode`. `methods` are what may finish
 * it (with "passkey", a passkey sign-in instead); `emailCode` is the code the
 * person typed from the email, sent again with the app's (never on a link
 * opened in the browser that asked, whose binding cookie proves it).
 */
export interface SecondFactorStep {
  methods: StrongMethod[];
  emailCode?: string;
}

/** After a redemption that failed: still the second step (with which methods), or back to the first. */
export function secondFactorStepAfter(
  execution: Execution,
  previous: SecondFactorStep | undefined,
  emailCode: string | undefined,
): SecondFactorStep | undefined {
  const { envelope } = execution;
  if (envelope.ok) return undefined;
  const methods = envelope.error.details?.methods;
  // The policy's refusals of this step name the app among their methods (a passkey-only one does not).
  if (Array.isArray(methods) && methods.includes("totp")) {
    return { methods: methods.filter(isStrongMethod), ...(emailCode ? { emailCode } : {}) };
  }
  // A malformed app code is refused before the policy runs: the same step, its field marked.
  if (envelope.error.code === "VALIDATION_FAILED" && envelope.error.fields?.totpCode) return previous;
  return undefined;
}

function isStrongMethod(method: string): method is StrongMethod {
  return (STRONG_METHODS as readonly string[]).includes(method);
}
