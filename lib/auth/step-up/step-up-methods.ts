import type { ActionRule, Decision, PolicyContext, StepUpMethod } from "../policy/types";
import { STRONG_METHODS } from "../policy/types";

/**
 * Which methods a step-up for an action may use, given the policy's
 * decision: the ones it asked for; or, when nothing was asked (the proof is
 * still fresh, or the session is restricted and a step-up is what lifts
 * that), the ones the action's row accepts among the account's factors and
 * this session's trusted device. Null: no step-up can help (any other
 * refusal stands).
 */
export function stepUpMethods(
  decision: Decision,
  rule: ActionRule,
  context: Pick<PolicyContext, "account" | "device">,
): readonly StepUpMethod[] | null {
  if (decision.kind === "step_up") return decision.methods;
  if (decision.kind === "deny" && !onlyRestricted(decision.reasons)) return null;
  const strongFactors = context.account.strongFactors;
  const accepted = rule.proof?.methods;
  if (accepted === undefined || accepted === "strongest") {
    // The strongest first, as decide() offers them (passkey before app).
    const strongest = STRONG_METHODS.find((method) => strongFactors.includes(method));
    return strongest ? [strongest] : [];
  }
  const deviceTrusted = context.device.binding !== "none" && context.device.trusted;
  return accepted.filter((method) => (method === "device" ? deviceTrusted : strongFactors.includes(method)));
}

function onlyRestricted(reasons: readonly string[]): boolean {
  return reasons.length === 1 && reasons[0] === "restricted_session";
}
