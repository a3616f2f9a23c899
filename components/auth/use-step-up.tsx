"use client";

import { useCallback, useRef, useState, type ReactNode } from "react";
import type { StepUpDemand } from "@/lib/auth/core/form-state";
import { ReauthStep } from "./reauth-step";
import { StepUpPanel } from "./step-up-panel";

/** What a refused attempt carries, as a form state or an action result alike. */
type Refusal = { stepUp?: StepUpDemand; deniedReasons?: string[] };

/** What the person is asked for before the attempt runs again. */
export type ProofAsked = { kind: "step_up"; demand: StepUpDemand } | { kind: "email" };

/**
 * The proof a refusal asks for, or null when none the person can give now
 * would change it:
 * - STEP_UP_REQUIRED: a step-up with one of the methods it names (passkey,
 *   authenticator app, this trusted device), which stores a grant for the action;
 * - ACTION_DENIED for `reauthentication_required` only: an account with no
 *   strong factor yet, whose sign-in is too old to add its first one. An
 *   emailed code refreshes the session's proof; it is never a step-up (B4
 *   §3.1.3.1), and the policy counts it for nothing else.
 */
export function proofAskedBy(result: Refusal | { ok: true }): ProofAsked | null {
  if ("stepUp" in result && result.stepUp) return { kind: "step_up", demand: result.stepUp };
  if ("deniedReasons" in result && result.deniedReasons?.includes("reauthentication_required")) return { kind: "email" };
  return null;
}

/**
 * Runs a server action behind the policy, in the spirit of Clerk's
 * `useReverification`: when the action answers with a proof to give
 * (proofAskedBy), that step opens in place; once the person confirmed, the
 * same call runs again (a form's FormData is still in its closure, so
 * nothing typed is lost). Cancelling answers the first refusal as it was,
 * which proofAskedBy still reads as asking: a caller tells a cancel from
 * a failure that way. `asking` is true while the step shows, so a caller
 * can hide what the step replaces.
 *
 *   const { withStepUp, dialog } = useStepUp();
 *   const [state, formAction] = useActionState((prev, form) => withStepUp(() => save(prev, form)), idle);
 *   ... {dialog}
 */
export function useStepUp(): {
  withStepUp: <S extends Refusal | { ok: true }>(attempt: () => Promise<S>) => Promise<S>;
  dialog: ReactNode;
  asking: boolean;
} {
  const [asked, setAsked] = useState<ProofAsked | null>(null);
  const settle = useRef<((confirmed: boolean) => void) | null>(null);

  const withStepUp = useCallback(async <S extends Refusal | { ok: true }>(attempt: () => Promise<S>): Promise<S> => {
    const first = await attempt();
    const proof = proofAskedBy(first);
    if (!proof) return first;
    const confirmed = await new Promise<boolean>((resolve) => {
      settle.current = resolve;
      setAsked(proof);
    });
    setAsked(null);
    settle.current = null;
    // Retried once: a second refusal (the policy changed meanwhile) is shown as it is.
    return confirmed ? attempt() : first;
  }, []);

  const confirmed = () => settle.current?.(true);
  const cancelled = () => settle.current?.(false);
  const dialog = asked ? (
    <div role="dialog" aria-modal="true" aria-labelledby={asked.kind === "email" ? "reauth-heading" : "step-up-heading"} className="my-4">
      {asked.kind === "email" ? (
        <ReauthStep onConfirmed={confirmed} onCancel={cancelled} />
      ) : (
        <StepUpPanel demand={asked.demand} onConfirmed={confirmed} onCancel={cancelled} />
      )}
    </div>
  ) : null;

  return { withStepUp, dialog, asking: asked !== null };
}
