"use client";

import { useState } from "react";

/**
 * Remembers the action that answered REAUTH_REQUIRED, so that once the
 * person confirms with an emailed code the same action simply runs again
 * (and now passes). Render <ReauthStep> while `required` is true.
 */
export function useReauth() {
  const [continuation, setContinuation] = useState<(() => void) | null>(null);
  return {
    required: continuation !== null,
    /** Shows the confirmation step; `retry` runs after a correct code. */
    require(retry: () => void): void {
      // A function in state must be wrapped, or React would call it as an updater.
      setContinuation(() => retry);
    },
    confirmed(): void {
      const retry = continuation;
      setContinuation(null);
      retry?.();
    },
    cancel(): void {
      setContinuation(null);
    },
  };
}
