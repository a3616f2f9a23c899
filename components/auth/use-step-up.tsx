"use client";

import { useCallback, useRef, useState, type ReactNode } from "react";
import type { StepUpDemand } from "@/lib/auth/core/form-state";
import { StepUpPanel } from "./step-up-panel";

/**
 * Runs a server action behind the policy, in the spirit of Clerk's
 * `useReverification`: when the action answers STEP_UP_REQUIRED (its state
 * carries `stepUp`), the step-up dialog opens; once the person confirmed,
 * the same call runs again (a form's FormData is still in its closure, so
 * nothing typed is lost). Cancelling answers the first refusal as it was.
 *
 *   const { withStepUp, dialog } = useStepUp();
 *   const [state, formAction] = useActionState((prev, form) => withStepUp(() => save(prev, form)), idle);
 *   ... {dialog}
 */
export function useStepUp(): {
  withStepUp: <S extends { stepUp?: StepUpDemand }>(attempt: () => Promise<S>) => Promise<S>;
  dialog: ReactNode;
} {
  const [demand, setDemand] = useState<StepUpDemand | null>(null);
  const settle = useRef<((confirmed: boolean) => void) | null>(null);

  const withStepUp = useCallback(async <S extends { stepUp?: StepUpDemand }>(attempt: () => Promise<S>): Promise<S> => {
    const first = await attempt();
    if (!first.stepUp) return first;
    const confirmed = await new Promise<boolean>((resolve) => {
      settle.current = resolve;
      setDemand(first.stepUp ?? null);
    });
    setDemand(null);
    settle.current = null;
    // Retried once: a second refusal (the policy changed meanwhile) is shown as it is.
    return confirmed ? attempt() : first;
  }, []);

  const dialog = demand ? (
    <div role="dialog" aria-modal="true" aria-labelledby="step-up-heading" className="my-4">
      <StepUpPanel demand={demand} onConfirmed={() => settle.current?.(true)} onCancel={() => settle.current?.(false)} />
    </div>
  ) : null;

  return { withStepUp, dialog };
}
