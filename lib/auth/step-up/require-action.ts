import type { AuthDeps } from "../core/deps";
import { failure, type Failure } from "../core/errors";
import type { RequestContext } from "../core/request-context";
import type { ActiveSession } from "../core/sessions";
import { decide } from "../policy/decide";
import type { Decision } from "../policy/types";
import { policyContextFor } from "./policy-context";

/**
 * The one guard in front of every protected action: a command declares
 * `policyAction` (lib/auth/core/execute.ts calls this before its handler);
 * a route handler or a page calls it itself. Null means go ahead.
 */
export async function requireAction(
  deps: Pick<AuthDeps, "store" | "clock" | "policy">,
  input: { session: ActiveSession; action: string; request: RequestContext },
): Promise<Failure | null> {
  return refusalOf(input.action, await judgeAction(deps, input));
}

/** The policy's decision for this session, action and request (a dry run: nothing is recorded). */
export async function judgeAction(
  deps: Pick<AuthDeps, "store" | "clock" | "policy">,
  input: { session: ActiveSession; action: string; request: RequestContext },
): Promise<Decision> {
  const context = await policyContextFor(deps, input);
  return decide(deps.policy.table, input.action, context);
}

/**
 * A decision as the envelope's refusal: STEP_UP_REQUIRED with what would
 * satisfy it (RFC 9470's shape, for programs and for the step-up screen),
 * or ACTION_DENIED with the rules that fired. Both are audited with the
 * rules, so that every decision other than "allow" can be explained later.
 */
export function refusalOf(action: string, decision: Decision): Failure | null {
  const reasons = decision.reasons.join(",");
  switch (decision.kind) {
    case "allow":
      return null;
    case "step_up":
      return failure("STEP_UP_REQUIRED", {
        details: { action, methods: decision.methods, maxAgeSeconds: decision.maxAgeSeconds, reasons: decision.reasons },
        audit: { details: { action, decision: "step_up", reasons, methods: decision.methods.join(",") } },
      });
    case "deny":
      return failure("ACTION_DENIED", {
        details: { action, reasons: decision.reasons },
        audit: { details: { action, decision: "deny", reasons } },
      });
  }
}
