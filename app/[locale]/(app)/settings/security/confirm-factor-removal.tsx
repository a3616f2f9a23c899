"use client";

import { useState } from "react";
import { proofAskedBy, useStepUp } from "@/components/auth/use-step-up";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { ACTION_UNREACHABLE, type ActionFailure, type ActionResult } from "@/lib/auth/core/action-result";

/**
 * What "Remove" opens in a passkey's or an app's row: what removing means,
 * then the removal. It is `security.factor.remove`: when the policy wants a
 * fresher proof first, the step-up appears here in place of the buttons,
 * and the removal runs again after it. Turning the step-up down closes the
 * confirmation, as "Cancel" does.
 */
export function ConfirmFactorRemoval({
  id,
  title,
  body,
  labels,
  remove,
  errorText,
  onRemoved,
  onCancel,
}: {
  /** Unique on the page: names the group by its title. */
  id: string;
  title: string;
  body: string;
  labels: { confirm: string; removing: string; cancel: string };
  remove: () => Promise<ActionResult<unknown>>;
  errorText: (failure: ActionFailure) => string;
  onRemoved: () => void;
  onCancel: () => void;
}) {
  const { withStepUp, dialog, asking } = useStepUp();
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm(): Promise<void> {
    setError(null);
    setRemoving(true);
    const result = await withStepUp(remove).catch(() => ACTION_UNREACHABLE);
    setRemoving(false);
    if (result.ok) onRemoved();
    else if (proofAskedBy(result)) onCancel();
    else setError(errorText(result));
  }

  return (
    <div role="group" aria-labelledby={id} className="space-y-3 rounded-md bg-red-50 p-3">
      <p id={id} className="font-medium">
        {title}
      </p>
      <p className="text-sm text-gray-800">{body}</p>
      <div aria-live="polite">{error ? <FormMessage tone="error">{error}</FormMessage> : null}</div>
      {asking ? (
        dialog
      ) : (
        <div className="space-y-2">
          <Button type="button" variant="danger" onClick={() => void confirm()} disabled={removing} autoFocus>
            {removing ? labels.removing : labels.confirm}
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel}>
            {labels.cancel}
          </Button>
        </div>
      )}
    </div>
  );
}
